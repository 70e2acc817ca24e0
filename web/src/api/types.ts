// Shapes of the Roster HTTP API (JSON, same origin, cookie session).

import { USER_ACTIONS, USER_STATUSES } from '../generated/statusActions';

export const ROLES = ['learner', 'admin', 'owner'] as const;
export type Role = (typeof ROLES)[number];

/** Every status (generated from the state machine: one source). */
export const STATUSES = USER_STATUSES;
export type Status = (typeof STATUSES)[number];

export type ArchivedMode = 'exclude' | 'include' | 'only';

/** An ISO 8601 timestamp as the API writes it. */
export type Timestamp = string;

export interface User {
  id: string;
  firstName: string;
  lastName: string;
  email: string | null;
  userId: string | null;
  role: Role;
  status: Status;
  locationId: string | null;
  groupIds: string[];
  /** The courses assigned, by course id. */
  courses: Assignment[];
  expiresAt: Timestamp | null;
  approvedAt: Timestamp | null;
  notifiedAt: Timestamp | null;
  lastAccessAt: Timestamp | null;
  archivedAt: Timestamp | null;
  createdAt: Timestamp;
  updatedAt: Timestamp;
  version: number;
}

/** A course assigned to a user, with its due date. */
export interface Assignment {
  courseId: string;
  dueAt: Timestamp | null;
}

export interface OrganizationRef {
  id: string;
  slug: string;
  name: string;
}

export interface Organization extends OrganizationRef {
  activeCount: number;
  archivedCount: number;
}

export interface Session {
  user: User;
  organization: OrganizationRef;
  /** Signed in with a one-time password: nothing else works until a new password is chosen. */
  passwordChangeRequired: boolean;
}

export interface Credentials {
  org: string;
  /** An email address or a user ID. */
  login: string;
  password: string;
}

/** A named thing of the organization: a group or a location. */
export interface NamedItem {
  id: string;
  name: string;
  createdAt: Timestamp;
  version: number;
}

export interface ItemList<T> {
  items: T[];
}

export interface UserFilter {
  status?: Status;
  location?: string;
  group?: string;
  /** Users assigned this course (its id). */
  course?: string;
  role?: Role;
  q?: string;
  archived?: ArchivedMode;
}

export interface UserListQuery extends UserFilter {
  limit?: number;
  cursor?: string;
}

export interface UserPage {
  items: User[];
  nextCursor: string | null;
  total: number;
  /** False when the server stopped counting at `total`: more users match. */
  totalExact: boolean;
}

export interface NewUser {
  firstName: string;
  lastName: string;
  email?: string;
  userId?: string;
  role?: Role;
  locationId?: string;
  groupIds?: string[];
  expiresAt?: Timestamp;
  /** Approve at once: the user is Activated, not Pending. */
  approve?: boolean;
  /** And send the invitation email (needs `approve` and an email). */
  notify?: boolean;
}

export type UserChanges = Partial<Omit<NewUser, 'email' | 'userId' | 'expiresAt' | 'locationId' | 'approve' | 'notify'>> & {
  /** null clears the email (the user keeps a user ID). */
  email?: string | null;
  userId?: string | null;
  locationId?: string | null;
  expiresAt?: Timestamp | null;
  version: number;
};

/** The actions on users, each its own route: POST /api/users/actions/{action} (generated from the state machine: one source). */
export const BULK_ACTIONS = USER_ACTIONS;
export type BulkAction = (typeof BULK_ACTIONS)[number];

/** An action with the parameters its route takes, and no others (the server refuses unknown keys). */
export type ActionRequest =
  | { action: 'approve'; notify?: true }
  | { action: 'notify' | 'deactivate' | 'activate' | 'archive' | 'unarchive' }
  | { action: 'set-expiration'; /** A date (2026-12-31), or null to clear it. */ expiresAt: string | null }
  | { action: 'add-to-groups' | 'remove-from-groups'; groupIds: string[] }
  | { action: 'set-location'; /** null clears the location. */ locationId: string | null }
  | { action: 'set-role'; /** Only owners may ask; the last owner with access stays one. */ role: Role }
  | {
      action: 'assign-courses';
      courseIds: string[];
      /** When the courses are due (an instant), or null for no due date. */
      dueAt: string | null;
      /** When a pool has too few free seats: assign nobody, or as many as fit. */
      whenShort: WhenShort;
    }
  | { action: 'unassign-courses'; courseIds: string[] }
  | { action: 'set-due-date'; courseIds: string[]; /** An instant, or null to clear it. */ dueAt: string | null }
  /** Moves the enrollments aside (kept in training records); the courses can be assigned again. */
  | { action: 'archive-activity'; courseIds: string[] };

/** What assigning does when seats run short. */
export type WhenShort = 'none' | 'fit';

/** Either explicit users, or every user a filter matches (with the count the admin confirmed). */
export type BulkTarget = { userIds: string[] } | { filter: UserFilter; expectedCount: number };

export interface BulkOutcome {
  id: string;
  outcome: 'done' | 'skipped' | 'failed';
  reason?: string;
}

export interface BulkResult {
  action: BulkAction;
  total: number;
  done: number;
  skipped: number;
  failed: number;
  results: BulkOutcome[];
}

export type JobStatus = 'snapshotting' | 'running' | 'done' | 'cancelled' | 'failed';

/** A bulk action on a filter selection too large to run at once, running in the background. */
export interface Job {
  id: string;
  /** A bulk action, or `import` for an upload being applied. */
  action: BulkAction | 'import';
  status: JobStatus;
  expectedCount: number;
  /** Users in the snapshot so far; final once the job runs. */
  total: number;
  done: number;
  skipped: number;
  failed: number;
  /** Why the job failed; null otherwise. */
  message: string | null;
  createdAt: string;
  finishedAt: string | null;
}

/** The answer (202) of an action that started a job instead of running at once. */
export interface JobStarted {
  job: Job;
}

export interface JobOutcome extends BulkOutcome {
  /** Empty when the user no longer exists. */
  firstName: string;
  lastName: string;
}

export interface JobOutcomePage {
  items: JobOutcome[];
  nextCursor: string | null;
}

export interface JobOutcomeQuery {
  result?: BulkOutcome['outcome'];
  limit?: number;
  cursor?: string;
}

export interface ErrorBody {
  error: { code: string; message: string; field?: string; requestId?: string };
}

/** Renaming a group or location: the version read, and the new name. */
export interface Rename {
  version: number;
  name: string;
}

/** Deleting a group or location: the version read, and the member count the administrator confirmed. */
export interface NamedDeletion {
  version: number;
  expectedMembers: number;
}

export interface Deleted {
  /** How many members were taken out before the deletion. */
  membersTakenOut: number;
}

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
] as const;
export type AuditAction = (typeof AUDIT_ACTIONS)[number];

/** Someone an audit entry names; `name` is null once they no longer exist. */
export interface Person {
  id: string;
  name: string | null;
}

/** One field's value before and after a change, as text ('' when there was none; ids joined by commas). */
export interface FieldChange {
  field: string;
  from: string;
  to: string;
}

export interface AuditEntry {
  id: string;
  at: Timestamp;
  action: AuditAction;
  /** Null for a change the system made. */
  actor: Person | null;
  target: Person;
  requestId: string;
  changes: FieldChange[];
}

export interface AuditPage {
  items: AuditEntry[];
  nextCursor: string | null;
}

/** The filters of a user's history; dates are a day (2026-03-01) or an RFC 3339 time. */
export interface AuditFilter {
  actor?: string;
  action?: AuditAction;
  from?: string;
  to?: string;
}

export interface AuditQuery extends AuditFilter {
  limit?: number;
  cursor?: string;
}

/** The organization's log can also be narrowed to the entries about one user. */
export interface OrgAuditQuery extends AuditQuery {
  user?: string;
}

/** What an emailed link is for: setting a first password, or a new one. */
export type LinkPurpose = 'invitation' | 'password-reset';

/** What checking an emailed link tells, without spending it. */
export interface LinkCheck {
  purpose: LinkPurpose;
  organization: OrganizationRef;
  firstName: string;
  /** What the person signs in with: their email, else their user ID. */
  login: string;
  expiresAt: Timestamp;
}

/** Setting a password through an emailed link, which spends it. */
export interface LinkRedemption {
  token: string;
  password: string;
}

/** Asking for a password reset link: the same answer whether or not the account exists. */
export interface ForgottenPassword {
  org: string;
  login: string;
}

export interface PasswordChange {
  currentPassword: string;
  newPassword: string;
}

/** The organization a registration link belongs to. */
export interface RegistrationCheck {
  organization: OrganizationRef;
}

/** A person registering through the organization's link; they wait as Pending for approval. */
export interface NewRegistration {
  token: string;
  firstName: string;
  lastName: string;
  email: string;
}

/** The organization's registration link: off, or on with its address. */
export interface Registration {
  enabled: boolean;
  url: string | null;
}

export interface RegistrationChange {
  enabled: boolean;
  /** A new link: the old one stops working at once. */
  renew?: boolean;
}

/** A one-time password an administrator set: shown once, changed at first sign-in. */
export interface OneTimePassword {
  password: string;
}

/** A course with its license pool; `seats` and `free` are null for an unlimited pool. */
export interface Course {
  id: string;
  name: string;
  /** Months after completion when the course is due again; null for no retake. */
  retakeMonths: number | null;
  seats: number | null;
  reserved: number;
  used: number;
  free: number | null;
  retiredAt: Timestamp | null;
  createdAt: Timestamp;
  version: number;
}

export interface NewCourse {
  name: string;
  retakeMonths?: number | null;
  seats?: number | null;
}

/** An edit of a course: the version read, and only the fields that change. */
export interface CourseChanges {
  version: number;
  name?: string;
  retakeMonths?: number | null;
  /** null makes the pool unlimited. */
  seats?: number | null;
  retired?: boolean;
}

export type RetiredMode = 'include' | 'only';

export const SEAT_KINDS = ['bought', 'limited', 'unlimited', 'reserved', 'released', 'used'] as const;
export type SeatKind = (typeof SEAT_KINDS)[number];

/** One movement of a course's seats. */
export interface LedgerEntry {
  id: string;
  at: Timestamp;
  kind: SeatKind;
  count: number;
  /** Seats bought after an administrator's change; null otherwise. */
  seatsAfter: number | null;
  cause: string;
  actor: Person | null;
  user: Person | null;
  requestId: string;
  /** The pool right after the movement; null until the server has recorded it (a moment after). */
  after: PoolFigures | null;
}

/** A pool's figures at one moment; `free` is null for an unlimited pool. */
export interface PoolFigures {
  reserved: number;
  used: number;
  free: number | null;
}

export interface LedgerPage {
  items: LedgerEntry[];
  nextCursor: string | null;
}

export interface LedgerQuery {
  limit?: number;
  cursor?: string;
}

/** What a training records filter selects by: progress, or an archived mark. */
export type RecordStatus =
  | 'not_started'
  | 'in_progress'
  | 'completed'
  | 'overdue'
  | 'user_archived'
  | 'activity_archived';

export const RECORD_STATUSES: readonly RecordStatus[] = [
  'not_started',
  'in_progress',
  'completed',
  'overdue',
  'user_archived',
  'activity_archived',
];

/** An id and the name it had when read. */
export interface Ref {
  id: string;
  name: string;
}

/** One enrollment as training records show it (GET /api/training-records), with its user as they are now. */
export interface TrainingRecord {
  user: {
    id: string;
    firstName: string;
    lastName: string;
    email: string | null;
    userId: string | null;
    status: Status;
    archived: boolean;
  };
  course: Ref;
  state: 'not_started' | 'in_progress' | 'completed';
  /** Not completed past its due date, or completed past its retake date; never archived activity. */
  overdue: boolean;
  assignedAt: string;
  dueAt: string | null;
  startedAt: string | null;
  completedAt: string | null;
  retakeDueAt: string | null;
  /** Moved aside by "archive course activity". */
  activityArchived: boolean;
  activityArchivedAt: string | null;
  location: Ref | null;
  groups: Ref[];
}

/**
 * A page of training records. A page may hold fewer records than asked for,
 * none even, and still have a next cursor: each request reads a bounded stretch.
 */
export interface TrainingRecordPage {
  items: TrainingRecord[];
  nextCursor: string | null;
}

/** The filters of training records; dates are days (2026-12-31, UTC), both bounds included. */
export interface TrainingRecordQuery {
  course?: string;
  group?: string;
  location?: string;
  status?: RecordStatus;
  dueFrom?: string;
  dueTo?: string;
  completedFrom?: string;
  completedTo?: string;
  limit?: number;
  cursor?: string;
}

/** One course on the caller's "My training" (GET /api/me/training). */
export interface Training {
  courseId: string;
  courseName: string;
  state: 'not_started' | 'in_progress' | 'completed';
  /** released: the pool had no seat when the learner was unarchived. */
  seat: 'reserved' | 'used' | 'released';
  dueAt: string | null;
  assignedAt: string;
  startedAt: string | null;
  completedAt: string | null;
  retakeDueAt: string | null;
  retakeMonths: number | null;
  overdue: boolean;
}

export type ExportFormat = 'xlsx' | 'csv';
export type ExportStatus = 'queued' | 'running' | 'done' | 'failed';

/** The training records an export holds: the filters of GET /api/training-records. */
export type RecordFilter = Omit<TrainingRecordQuery, 'limit' | 'cursor'>;

/** What to export: the users a filter matches, the users listed, or the training records a filter matches. */
export type ExportTarget = { filter: UserFilter } | { userIds: string[] } | { records: RecordFilter };

export type ExportKind = 'users' | 'training-records';

export interface ExportRequest {
  kind: ExportKind;
  format: ExportFormat;
}

/** A short-lived link to an export's file; every read of the export signs a new one. */
export interface ExportDownload {
  url: string;
  fileName: string;
  expires: string;
}

export interface Export {
  id: string;
  kind: ExportKind;
  format: ExportFormat;
  status: ExportStatus;
  /** Rows written so far, the header left out. */
  rows: number;
  message: string | null;
  createdAt: string;
  finishedAt: string | null;
  download: ExportDownload | null;
}

/** How an upload treats its rows: users are matched by user ID, else by email. */
export type ImportMode = 'add' | 'add-update' | 'update';
/** What happens to the organization's users the file does not name. */
export type ImportSync = '' | 'deactivate' | 'archive';

/** What an upload will do, as the preview counts it. */
export interface ImportCounts {
  rows: number;
  create: number;
  update: number;
  unchanged: number;
  deactivate: number;
  archive: number;
  /** Rows with at least one error. */
  errors: number;
}

/** One column of the file and the field it became. */
export interface ImportColumn {
  /** As a spreadsheet names it: A, B, … */
  column: string;
  header: string;
  field: string;
}

/** One problem of one row, at its line as a spreadsheet shows it. */
export interface ImportError {
  line: number;
  /** Empty when the row as a whole is at fault. */
  column: string;
  field: string;
  message: string;
}

/** An upload and its latest preview. */
export interface Import {
  id: string;
  fileName: string;
  size: number;
  status: 'uploading' | 'validated' | 'invalid' | 'applying' | 'applied';
  options: { mode: ImportMode; sync: ImportSync; skipBadRows: boolean } | null;
  columns: ImportColumn[];
  counts: ImportCounts;
  /** The first 100 errors; the report has them all. */
  errors: ImportError[];
  fileError: string | null;
  /** The job applying it; null until applied, and again once validated anew. */
  jobId: string | null;
  /** What the job did, once it has ended and its result file is stored. */
  results: ImportResults | null;
  /** Whether it may be validated now: before it is applied, or after a job that failed or was cancelled changing nobody. */
  validatable: boolean;
  createdAt: string;
  validatedAt: string | null;
}

/** The summary of an applied upload's result file. */
export interface ImportResults {
  jobStatus: 'done' | 'cancelled' | 'failed';
  done: number;
  skipped: number;
  failed: number;
  /** Rows the job never reached. */
  notApplied: number;
  at: string;
}

/** A presigned request, made as it is. */
export interface FileLink {
  method: string;
  url: string;
  headers: Record<string, string>;
  expires: string;
}

/** A new upload and the link its file goes through, straight to storage. */
export interface ImportStarted {
  import: Import;
  upload: FileLink;
  maxSize: number;
}

/** An upload being applied, and its job. */
export interface ImportApplied {
  import: Import;
  job: Job;
}
