import type { ActionRequest, NamedItem, Role, User } from '../../api/types';
import { fullName, toDay } from '../../lib/format';
import type { ParameterChoice } from '../actions';
import { CoursesStep } from './CoursesStep';
import { ExpirationStep } from './ExpirationStep';
import { GroupsStep } from './GroupsStep';
import { LocationStep } from './LocationStep';
import { RoleStep } from './RoleStep';

export interface ParameterStepProps {
  choice: ParameterChoice;
  /** The one user acted on from their row: their values are where the step starts. */
  user?: User;
  groups: NamedItem[];
  locations: NamedItem[];
  /** The courses that can be assigned (not retired), sorted. */
  courses: Pick<NamedItem, 'id' | 'name'>[];
  /** Names any course by id, retired ones included. */
  courseName: (id: string) => string;
  /** What was chosen before going back from the confirmation, to start from again. */
  previous?: ActionRequest;
  onContinue: (request: ActionRequest) => void;
  onCancel: () => void;
}

function otherRole(role: User['role'] | undefined): Role {
  return role === 'admin' ? 'learner' : 'admin';
}

/** The step that asks for the parameter of a choice, before the confirmation. */
export function ParameterStep({
  choice,
  user,
  groups,
  locations,
  courses,
  courseName,
  previous,
  onContinue,
  onCancel,
}: ParameterStepProps) {
  const steps = { onContinue, onCancel };
  switch (choice) {
    case 'set-expiration': {
      const earlier = previous?.action === 'set-expiration' ? previous.expiresAt : undefined;
      return (
        <ExpirationStep
          initialDay={earlier ?? toDay(user?.expiresAt ?? null)}
          clear={earlier === null}
          {...steps}
        />
      );
    }
    case 'add-to-groups':
    case 'remove-from-groups': {
      const earlier = previous && 'groupIds' in previous ? previous.groupIds : undefined;
      // For one user: the groups they are not in, or the ones they are in.
      const options = user
        ? groups.filter((g) => user.groupIds.includes(g.id) === (choice === 'remove-from-groups'))
        : groups;
      const emptyText = user
        ? choice === 'add-to-groups'
          ? `${fullName(user)} is in every group already.`
          : `${fullName(user)} is in no group.`
        : 'This organization has no groups yet.';
      return <GroupsStep action={choice} groups={options} initialIds={earlier} emptyText={emptyText} {...steps} />;
    }
    case 'set-location': {
      const initialId = previous?.action === 'set-location' ? previous.locationId : user?.locationId;
      return <LocationStep locations={locations} initialId={initialId ?? ''} {...steps} />;
    }
    case 'assign-courses': {
      // For one user: the courses they do not have yet.
      const options = user ? courses.filter((c) => !user.courses.some((a) => a.courseId === c.id)) : courses;
      const emptyText = user
        ? `${fullName(user)} has every course already.`
        : 'This organization has no courses to assign yet.';
      return <CoursesStep action={choice} courses={options} previous={previous} emptyText={emptyText} {...steps} />;
    }
    case 'unassign-courses':
    case 'set-due-date':
    case 'archive-activity': {
      // For one user: the courses they have, retired ones included.
      const options = user ? user.courses.map((a) => ({ id: a.courseId, name: courseName(a.courseId) })) : courses;
      const emptyText = user ? `${fullName(user)} has no course.` : 'This organization has no courses yet.';
      return <CoursesStep action={choice} courses={options} previous={previous} emptyText={emptyText} {...steps} />;
    }
    case 'set-role': {
      const earlier = previous?.action === 'set-role' ? previous.role : undefined;
      return <RoleStep initialRole={earlier ?? otherRole(user?.role)} {...steps} />;
    }
  }
}
