// Shapes of the Roster HTTP API (JSON, same origin, cookie session).
//
// Every shape here is a name for one of ../generated/api.ts, which openapi-typescript
// generates from api/openapi.yaml (`npm run gen:api`): the contract is written
// once, there. What stays hand-written is what OpenAPI cannot say, or what the UI
// narrows on purpose, each said where it is done.

import type { components, operations, paths } from '../generated/api';
import { USER_ACTIONS, USER_STATUSES } from '../generated/statusActions';

type Schemas = components['schemas'];

/** The JSON body of a request or response object of the generated types. */
type Json<T> = T extends { content: { 'application/json': infer B } } ? B : never;
/** The JSON an operation (by operationId) answers with 200. */
export type OkResponse<Op extends keyof operations> = operations[Op]['responses'] extends { 200: infer R } ? Json<R> : never;
/** The query parameters of an operation (by operationId). */
type Query<Op extends keyof operations> = NonNullable<operations[Op]['parameters']['query']>;

/** True when A and B are the same type; for the compile-time checks at the end. */
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
type Expect<T extends true> = T;

export const ROLES = ['learner', 'admin', 'owner'] as const satisfies readonly Schemas['Role'][];
export type Role = Schemas['Role'];

/** Every status (generated from the state machine: one source), which api/openapi.yaml must list too. */
export const STATUSES = USER_STATUSES;
export type Status = (typeof STATUSES)[number];

export type ArchivedMode = Schemas['ArchivedMode'];

/** An ISO 8601 timestamp as the API writes it (openapi.yaml's Timestamp is the nullable one). */
export type Timestamp = NonNullable<Schemas['Timestamp']>;

export type User = Schemas['User'];

/** A course assigned to a user, with its due date. */
export type Assignment = Schemas['Assignment'];

export type OrganizationRef = Schemas['Organization'];
export type Organization = Schemas['OrganizationSummary'];

/** GET /api/me: the user, their organization, and whether a one-time password must be changed first. */
export type Session = Schemas['Me'];

export type Credentials = Schemas['LoginRequest'];

/** A named thing of the organization: a group or a location. */
export type NamedItem = Schemas['Named'];
/** The organization's groups, or its locations. */
export type NamedList = OkResponse<'list-groups'>;
/** Creating a group or location. */
export type NewNamed = Json<components['requestBodies']['Name']>;

export type UserFilter = Schemas['Filter'];
export type UserListQuery = Query<'list-users'>;
export type UserPage = Schemas['UserPage'];

export type NewUser = Schemas['NewUser'];
/** An edit of a user: the version read, and only the fields that change (null clears). */
export type UserChanges = Schemas['UserPatch'];

/** The actions on users, each its own route: POST /api/users/actions/{action} (generated from the state machine: one source). */
export const BULK_ACTIONS = USER_ACTIONS;
export type BulkAction = (typeof BULK_ACTIONS)[number];
/** The UI runs every action but delete, which has its own route and no place in the state machine. */

/** What every action's body has to choose the users; see BulkTarget. */
type Selection = 'userIds' | 'filter' | 'expectedCount';
/** The body of an action's route, as api/openapi.yaml documents it. */
type ActionBody<A extends BulkAction> = Json<NonNullable<paths[`/api/users/actions/${A}`]['post']['requestBody']>>;
/** Parameters the API defaults but the UI always sends, so that the confirmation can word them. */
interface AlwaysSent {
  'assign-courses': 'dueAt' | 'whenShort';
}
type ActionParams<A extends BulkAction> = A extends keyof AlwaysSent
  ? Omit<ActionBody<A>, Selection> & Required<Pick<ActionBody<A>, AlwaysSent[A]>>
  : Omit<ActionBody<A>, Selection>;

/**
 * An action with the parameters its route takes, and no others (the server refuses unknown keys):
 * the route's body without the selection, and the action, which is in the route's path.
 */
export type ActionRequest = { [A in BulkAction]: { action: A } & ActionParams<A> }[BulkAction];

/** What assigning does when seats run short: assign nobody, or as many as fit. */
export type WhenShort = ActionParams<'assign-courses'>['whenShort'];

/** Either explicit users, or every user a filter matches (with the count the admin confirmed). */
export type BulkTarget =
  | { userIds: Schemas['SelectedUserIds'] }
  | { filter: Schemas['Filter']; expectedCount: Schemas['ExpectedCount'] };

export type BulkOutcome = Schemas['ActionResult']['results'][number];

/** An action's result, for the actions the UI runs (see BulkAction). */
export type BulkResult = Omit<Schemas['ActionResult'], 'action'> & { action: BulkAction };

export type JobStatus = Schemas['Job']['status'];

/** A bulk action on a filter selection too large to run at once, or an upload being applied, running in the background. */
export type Job = Schemas['Job'];

/** The answer (202) of an action that started a job instead of running at once. */
export type JobStarted = Schemas['JobStarted'];

export type JobOutcome = Schemas['JobOutcome'];
export type JobOutcomePage = Schemas['JobOutcomePage'];
export type JobOutcomeQuery = Query<'list-job-outcomes'>;

export type ErrorBody = Schemas['Error'];

/** Renaming a group or location: the version read, and the new name. */
export type Rename = Json<components['requestBodies']['Rename']>;

/** Deleting a group or location: the version read, and the member count the administrator confirmed. */
export type NamedDeletion = Query<'delete-group'>;

export type Deleted = Schemas['Deleted'];

/** An answer with nothing to say: {}. */
export type Empty = Schemas['Empty'];

export const AUDIT_ACTIONS = [
  'user.created',
  'user.updated',
  'user.archived',
  'user.unarchived',
  'user.deleted',
  'course.created',
  'course.updated',
  'course.retired',
  'course.restored',
] as const satisfies readonly Schemas['AuditAction'][];
export type AuditAction = Schemas['AuditAction'];

/** Someone an audit entry names; `name` is null once they no longer exist. */
export type Person = Schemas['Person'];
/** One field's value before and after a change, as text ('' when there was none; ids joined by commas). */
export type FieldChange = Schemas['FieldChange'];
export type AuditEntry = Schemas['AuditEntry'];
export type AuditPage = Schemas['AuditPage'];

/** A user's history, filtered and paged; dates are a day (2026-03-01) or an RFC 3339 time. */
export type AuditQuery = Query<'list-user-audit'>;
export type AuditFilter = Omit<AuditQuery, 'limit' | 'cursor'>;
/** The organization's log can also be narrowed to the entries about one user. */
export type OrgAuditQuery = Query<'list-audit'>;

/** What an emailed link is for: setting a first password, or a new one. */
export type LinkPurpose = Schemas['LinkInfo']['purpose'];
/** What checking an emailed link tells, without spending it. */
export type LinkCheck = Schemas['LinkInfo'];
/** Checking a link (emailed, or the registration link) by its token. */
export type TokenRequest = Schemas['TokenRequest'];
/** Setting a password through an emailed link, which spends it. */
export type LinkRedemption = Schemas['RedeemLinkRequest'];
/** Asking for a password reset link: the same answer whether or not the account exists. */
export type ForgottenPassword = Schemas['ForgotPasswordRequest'];
export type PasswordChange = Schemas['ChangePasswordRequest'];
/** The organization a registration link belongs to. */
export type RegistrationCheck = Schemas['RegistrationCheck'];
/** A person registering through the organization's link; they wait as Pending for approval. */
export type NewRegistration = Schemas['RegisterRequest'];
/** The organization's registration link: off, or on with its address. */
export type Registration = Schemas['Registration'];
export type RegistrationChange = Schemas['SetRegistrationRequest'];
/** A one-time password an administrator set: shown once, changed at first sign-in. */
export type OneTimePassword = Schemas['OneTimePassword'];

/** A course with its license pool; `seats` and `free` are null for an unlimited pool. */
export type Course = Schemas['Course'];
export type NewCourse = Schemas['NewCourse'];
/** An edit of a course: the version read, and only the fields that change. */
export type CourseChanges = Schemas['CoursePatch'];
export type CourseList = OkResponse<'list-courses'>;
export type RetiredMode = NonNullable<Query<'list-courses'>['retired']>;

export const SEAT_KINDS = [
  'bought',
  'limited',
  'unlimited',
  'reserved',
  'released',
  'used',
] as const satisfies readonly Schemas['LedgerEntry']['kind'][];
export type SeatKind = Schemas['LedgerEntry']['kind'];

/** One movement of a course's seats. */
export type LedgerEntry = Schemas['LedgerEntry'];
/** A pool's figures at one moment; `free` is null for an unlimited pool. */
export type PoolFigures = Schemas['PoolFigures'];
export type LedgerPage = Schemas['LedgerPage'];
export type LedgerQuery = Query<'list-course-ledger'>;

/** What a training records filter selects by: progress, or an archived mark. */
export type RecordStatus = Schemas['RecordStatus'];

export const RECORD_STATUSES = [
  'not_started',
  'in_progress',
  'completed',
  'overdue',
  'user_archived',
  'activity_archived',
] as const satisfies readonly RecordStatus[];

/** An id and the name it had when read. */
export type Ref = Schemas['Ref'];

/** One enrollment as training records show it (GET /api/training-records), with its user as they are now. */
export type TrainingRecord = Schemas['TrainingRecord'];

/**
 * A page of training records. A page may hold fewer records than asked for,
 * none even, and still have a next cursor: each request reads a bounded stretch.
 */
export type TrainingRecordPage = Schemas['TrainingRecordPage'];

/** The filters of training records; dates are days (2026-12-31, UTC), both bounds included. */
export type TrainingRecordQuery = Query<'list-training-records'>;

/** One course on the caller's "My training" (GET /api/me/training). */
export type Training = Schemas['Training'];
export type TrainingList = OkResponse<'my-training'>;

export type ExportFormat = Schemas['ExportRequest']['format'];
export type ExportStatus = Schemas['Export']['status'];
export type ExportKind = Schemas['ExportRequest']['kind'];

/** The training records an export holds: the filters of GET /api/training-records. */
export type RecordFilter = Schemas['RecordFilter'];

/**
 * What to export: the users a filter matches, the users listed, or the training records a filter
 * matches. api/openapi.yaml has the three as optional fields; the server takes exactly one.
 */
export type ExportTarget =
  | Required<Pick<Schemas['ExportRequest'], 'filter'>>
  | Required<Pick<Schemas['ExportRequest'], 'userIds'>>
  | Required<Pick<Schemas['ExportRequest'], 'records'>>;

export type ExportRequest = Pick<Schemas['ExportRequest'], 'kind' | 'format'>;

/** A short-lived link to an export's file; every read of the export signs a new one. */
export type ExportDownload = Schemas['Download'];
export type Export = Schemas['Export'];

/** How an upload treats its rows: users are matched by user ID, else by email. */
export type ImportMode = Schemas['ImportMode'];
/** What happens to the organization's users the file does not name. */
export type ImportSync = Schemas['ImportSync'];
/** What an upload will do, as the preview counts it. */
export type ImportCounts = Schemas['ImportCounts'];
/** One column of the file and the field it became. */
export type ImportColumn = Import['columns'][number];
/** One problem of one row, at its line as a spreadsheet shows it. */
export type ImportError = Import['errors'][number];
/** An upload and its latest preview. */
export type Import = Schemas['Import'];
/** The summary of an applied upload's result file. */
export type ImportResults = Schemas['ImportResults'];
/** A presigned request, made as it is. */
export type FileLink = Schemas['FileLink'];
/** A new upload and the link its file goes through, straight to storage. */
export type ImportStarted = Schemas['ImportStarted'];
/** An upload being applied, and its job. */
export type ImportApplied = Schemas['ImportApplied'];
export type StartImportRequest = Schemas['StartImportRequest'];
export type ValidateImportRequest = Schemas['ValidateImportRequest'];
export type ApplyImportRequest = Schemas['ApplyImportRequest'];

/**
 * Compile-time checks (no code): the lists the UI keeps at run time, and the
 * state machine's generated statuses and actions, agree with api/openapi.yaml.
 * The UI runs every action but delete, which has no place in the state machine.
 */
export type ContractChecks = [
  Expect<Same<(typeof ROLES)[number], Role>>,
  Expect<Same<Status, Schemas['Status']>>,
  Expect<Same<BulkAction, Exclude<Schemas['ActionResult']['action'], 'delete'>>>,
  Expect<Same<NamedDeletion, Query<'delete-location'>>>,
  Expect<Same<NamedList, OkResponse<'list-locations'>>>,
  Expect<Same<(typeof AUDIT_ACTIONS)[number], AuditAction>>,
  Expect<Same<(typeof SEAT_KINDS)[number], SeatKind>>,
  Expect<Same<(typeof RECORD_STATUSES)[number], RecordStatus>>,
  Expect<Same<RecordFilter, Omit<TrainingRecordQuery, 'limit' | 'cursor'>>>,
];
