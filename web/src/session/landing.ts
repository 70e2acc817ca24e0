import type { Session } from '../api/types';

/** Where a person lands after signing in: learners on their training, administrators on the roster. */
export function landingPath(session: Session): string {
  return session.user.role === 'learner' ? '/my-training' : '/users';
}
