import type {
  ActionRequest,
  AuditPage,
  AuditQuery,
  BulkResult,
  BulkTarget,
  Course,
  CourseChanges,
  CourseList,
  Credentials,
  Deleted,
  Empty,
  ErrorBody,
  Export,
  ExportRequest,
  ExportTarget,
  ForgottenPassword,
  Training,
  TrainingList,
  TokenRequest,
  StartImportRequest,
  ValidateImportRequest,
  ApplyImportRequest,
  TrainingRecordPage,
  TrainingRecordQuery,
  LedgerPage,
  LedgerQuery,
  FileLink,
  Import,
  ImportApplied,
  ImportCounts,
  ImportMode,
  ImportStarted,
  ImportSync,
  Job,
  JobOutcomePage,
  JobOutcomeQuery,
  JobStarted,
  LinkCheck,
  LinkRedemption,
  NamedDeletion,
  NamedItem,
  NamedList,
  NewNamed,
  NewCourse,
  NewRegistration,
  NewUser,
  OneTimePassword,
  OrgAuditQuery,
  Organization,
  PasswordChange,
  Registration,
  RegistrationChange,
  RegistrationCheck,
  Rename,
  RetiredMode,
  Session,
  User,
  UserChanges,
  UserListQuery,
  UserPage,
} from './types';

/** Codes the client adds to the server's vocabulary for failures that never reached it. */
export const NETWORK_ERROR = 'network';
export const BAD_RESPONSE = 'bad_response';

/** A failed API call, carrying the server's message (fit to show a person) and the offending field. */
export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly field: string | undefined;
  /** The server's id for the request, which people quote when reporting an internal error. */
  readonly requestId: string | undefined;

  constructor(status: number, code: string, message: string, field?: string, requestId?: string) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
    this.field = field;
    this.requestId = requestId;
  }
}

/** Any thrown value as an ApiError, so callers have one shape to show. */
export function asApiError(error: unknown): ApiError {
  if (error instanceof ApiError) return error;
  return new ApiError(0, BAD_RESPONSE, 'Something went wrong. Please try again.');
}

export interface ApiClientOptions {
  /** The fetch to use; tests pass a fake. */
  fetch?: typeof fetch;
  /** Called when a request other than sign-in is refused for want of a session. */
  onUnauthorized?: (error: ApiError) => void;
}

export interface RequestOptions {
  signal?: AbortSignal;
}

/** A route that needs no session: its 401 is an answer to show, not a session that ended. */
interface PublicRoute {
  public: true;
}

type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/** Builds a query string from the defined, non-empty parameters, in their given order. */
export function toQueryString(params: object): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value !== undefined && value !== null && value !== '') search.append(key, String(value));
  }
  const text = search.toString();
  return text ? `?${text}` : '';
}

function isErrorBody(body: unknown): body is ErrorBody {
  if (typeof body !== 'object' || body === null || !('error' in body)) return false;
  const error = (body as { error: unknown }).error;
  return typeof error === 'object' && error !== null && typeof (error as { message?: unknown }).message === 'string';
}

async function readJson(response: Response): Promise<unknown> {
  const text = await response.text();
  if (text === '') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

function errorFrom(response: Response, body: unknown): ApiError {
  if (isErrorBody(body)) {
    const { code, message, field, requestId } = body.error;
    return new ApiError(response.status, code, message, field || undefined, requestId || undefined);
  }
  return new ApiError(
    response.status,
    BAD_RESPONSE,
    `The server could not complete the request (HTTP ${response.status}). Please try again.`,
  );
}

export function createApiClient(options: ApiClientOptions = {}) {
  const doFetch = options.fetch ?? ((input: RequestInfo | URL, init?: RequestInit) => fetch(input, init));

  async function request<T>(
    method: Method,
    path: string,
    body?: unknown,
    opts: RequestOptions & Partial<PublicRoute> = {},
  ): Promise<T> {
    const headers: Record<string, string> = { Accept: 'application/json' };
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    let response: Response;
    try {
      response = await doFetch(`/api${path}`, {
        method,
        headers,
        credentials: 'same-origin',
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: opts.signal,
      });
    } catch (cause) {
      if (opts.signal?.aborted) throw cause;
      throw new ApiError(0, NETWORK_ERROR, 'Could not reach the server. Check your connection and try again.');
    }
    if (response.status === 204) return undefined as T;
    const parsed = await readJson(response);
    if (!response.ok) {
      const error = errorFrom(response, parsed);
      if (response.status === 401 && !opts.public) options.onUnauthorized?.(error);
      throw error;
    }
    if (parsed === undefined) {
      throw new ApiError(response.status, BAD_RESPONSE, 'The server sent an unreadable response. Please try again.');
    }
    return parsed as T;
  }

  const PUBLIC: PublicRoute = { public: true };

  return {
    login: (credentials: Credentials) => request<Session>('POST', '/auth/login', credentials, PUBLIC),
    logout: () => request<void>('POST', '/auth/logout'),
    /** Ends every session of the signed-in user, this one too. */
    logoutEverywhere: () => request<void>('POST', '/auth/logout-everywhere'),
    me: (opts?: RequestOptions) => request<Session>('GET', '/me', undefined, opts),
    /** The caller's courses, by due date. */
    myTraining: (opts?: RequestOptions) => request<TrainingList>('GET', '/me/training', undefined, opts),
    /** Starts an assigned course: its seat is used, and the caller's first start makes them active. */
    startTraining: (courseId: string) =>
      request<Training>('POST', `/me/training/${encodeURIComponent(courseId)}/start`, {}),
    /** Completes an assigned course (starting it first when not started). */
    completeTraining: (courseId: string) =>
      request<Training>('POST', `/me/training/${encodeURIComponent(courseId)}/complete`, {}),
    /** Changes the signed-in user's password; their other sessions end, this one stays. */
    changePassword: (change: PasswordChange) => request<Session>('POST', '/me/password', change),

    /** What an emailed link is for, without spending it (email scanners open links too). */
    checkLink: (token: string, opts?: RequestOptions) =>
      request<LinkCheck>('POST', '/auth/links/check', { token } satisfies TokenRequest, { ...opts, ...PUBLIC }),
    /** Sets the password through an emailed link, which spends it, and signs in. */
    redeemLink: (redemption: LinkRedemption) =>
      request<Session>('POST', '/auth/links/redeem', redemption, PUBLIC),
    /** Emails a reset link when the account exists; answers the same either way. */
    forgotPassword: (forgotten: ForgottenPassword) =>
      request<Empty>('POST', '/auth/password/forgot', forgotten, PUBLIC),
    /** The organization of a registration link. */
    checkRegistration: (token: string, opts?: RequestOptions) =>
      request<RegistrationCheck>('POST', '/auth/register/check', { token } satisfies TokenRequest, { ...opts, ...PUBLIC }),
    /** Registers a person, who then waits as Pending for an administrator's approval. */
    register: (registration: NewRegistration) =>
      request<Empty>('POST', '/auth/register', registration, PUBLIC),

    getRegistration: (opts?: RequestOptions) =>
      request<Registration>('GET', '/organization/registration', undefined, opts),
    setRegistration: (change: RegistrationChange) =>
      request<Registration>('PUT', '/organization/registration', change),
    /** Emails the user a password reset link. */
    sendPasswordReset: (id: string) =>
      request<Empty>('POST', `/users/${encodeURIComponent(id)}/password-reset`),
    /** Gives the user a one-time password, to be changed at their first sign-in; ends their sessions. */
    setOneTimePassword: (id: string) =>
      request<OneTimePassword>('POST', `/users/${encodeURIComponent(id)}/one-time-password`),
    organization: (opts?: RequestOptions) => request<Organization>('GET', '/organization', undefined, opts),

    listUsers: (query: UserListQuery, opts?: RequestOptions) =>
      request<UserPage>('GET', `/users${toQueryString(query)}`, undefined, opts),
    getUser: (id: string, opts?: RequestOptions) =>
      request<User>('GET', `/users/${encodeURIComponent(id)}`, undefined, opts),
    createUser: (user: NewUser) => request<User>('POST', '/users', user),
    updateUser: (id: string, changes: UserChanges) =>
      request<User>('PATCH', `/users/${encodeURIComponent(id)}`, changes),
    /**
     * Runs an action on the target users; the body is the target plus the action's own
     * parameters. A filter matching many users starts a background job instead (202).
     */
    runAction: ({ action, ...params }: ActionRequest, target: BulkTarget) =>
      request<BulkResult | JobStarted>('POST', `/users/actions/${action}`, { ...target, ...params }),

    /** A background job's progress. */
    getJob: (id: string, opts?: RequestOptions) =>
      request<Job>('GET', `/jobs/${encodeURIComponent(id)}`, undefined, opts),
    /** A page of what a job did to each user, with their names. */
    jobOutcomes: (id: string, query: JobOutcomeQuery, opts?: RequestOptions) =>
      request<JobOutcomePage>('GET', `/jobs/${encodeURIComponent(id)}/outcomes${toQueryString(query)}`, undefined, opts),
    /** Stops a job: no user is started after it; what was done stays done. */
    cancelJob: (id: string) => request<Job>('POST', `/jobs/${encodeURIComponent(id)}/cancel`, {}),

    /** Queues a spreadsheet of the target users or training records; poll getExport for its progress and link. */
    startExport: (what: ExportRequest, target: ExportTarget) =>
      request<Export>('POST', '/exports', { ...what, ...target }),
    /** An export's progress; once done, a fresh download link. */
    getExport: (id: string, opts?: RequestOptions) =>
      request<Export>('GET', `/exports/${encodeURIComponent(id)}`, undefined, opts),
    /** Records an upload of a file and answers the link to put it through. */
    startImport: (fileName: string, size: number) => request<ImportStarted>('POST', '/imports', { fileName, size } satisfies StartImportRequest),
    getImport: (id: string, opts?: RequestOptions) =>
      request<Import>('GET', `/imports/${encodeURIComponent(id)}`, undefined, opts),
    /** Checks every row of the uploaded file against the roster; writes nothing. */
    validateImport: (id: string, mode: ImportMode, sync: ImportSync) =>
      request<Import>('POST', `/imports/${encodeURIComponent(id)}/validate`, { mode, sync } satisfies ValidateImportRequest),
    /** A link to the error report (every error, as CSV). */
    importErrors: (id: string) => request<FileLink>('GET', `/imports/${encodeURIComponent(id)}/errors`),
    /** Checks the file again and starts the job that applies it, if it still does what the preview showed. */
    applyImport: (id: string, choice: { mode: ImportMode; sync: ImportSync; skipBadRows: boolean }, expectedCounts: ImportCounts) =>
      request<ImportApplied>('POST', `/imports/${encodeURIComponent(id)}/apply`, { ...choice, expectedCounts } satisfies ApplyImportRequest),
    /** A fresh link to the result file, once the job has ended and the file is stored (409 before). */
    importResults: (id: string) => request<FileLink>('GET', `/imports/${encodeURIComponent(id)}/results`),

    /** One user's history, newest first. */
    userAudit: (id: string, query: AuditQuery, opts?: RequestOptions) =>
      request<AuditPage>('GET', `/users/${encodeURIComponent(id)}/audit${toQueryString(query)}`, undefined, opts),
    /** The organization's audit log, newest first. */
    listAudit: (query: OrgAuditQuery, opts?: RequestOptions) =>
      request<AuditPage>('GET', `/audit${toQueryString(query)}`, undefined, opts),

    listGroups: (opts?: RequestOptions) => request<NamedList>('GET', '/groups', undefined, opts),
    createGroup: (name: string) => request<NamedItem>('POST', '/groups', { name } satisfies NewNamed),
    renameGroup: (id: string, rename: Rename) =>
      request<NamedItem>('PATCH', `/groups/${encodeURIComponent(id)}`, rename),
    /** Takes every member out of the group (their accounts stay), then deletes it. */
    deleteGroup: (id: string, deletion: NamedDeletion) =>
      request<Deleted>('DELETE', `/groups/${encodeURIComponent(id)}${toQueryString(deletion)}`),
    listLocations: (opts?: RequestOptions) => request<NamedList>('GET', '/locations', undefined, opts),
    createLocation: (name: string) => request<NamedItem>('POST', '/locations', { name } satisfies NewNamed),
    renameLocation: (id: string, rename: Rename) =>
      request<NamedItem>('PATCH', `/locations/${encodeURIComponent(id)}`, rename),
    /** Leaves every member of the location without one, then deletes it. */
    deleteLocation: (id: string, deletion: NamedDeletion) =>
      request<Deleted>('DELETE', `/locations/${encodeURIComponent(id)}${toQueryString(deletion)}`),

    listCourses: (retired?: RetiredMode, opts?: RequestOptions) =>
      request<CourseList>('GET', `/courses${toQueryString({ retired })}`, undefined, opts),
    getCourse: (id: string, opts?: RequestOptions) =>
      request<Course>('GET', `/courses/${encodeURIComponent(id)}`, undefined, opts),
    createCourse: (course: NewCourse) => request<Course>('POST', '/courses', course),
    /** Edits, retires (`retired: true`) or restores a course; seats never go below reserved + used. */
    updateCourse: (id: string, changes: CourseChanges) =>
      request<Course>('PATCH', `/courses/${encodeURIComponent(id)}`, changes),
    /** A course's seat ledger, newest first. */
    courseLedger: (id: string, query: LedgerQuery, opts?: RequestOptions) =>
      request<LedgerPage>('GET', `/courses/${encodeURIComponent(id)}/ledger${toQueryString(query)}`, undefined, opts),
    listTrainingRecords: (query: TrainingRecordQuery, opts?: RequestOptions) =>
      request<TrainingRecordPage>('GET', `/training-records${toQueryString(query)}`, undefined, opts),
  };
}

export type ApiClient = ReturnType<typeof createApiClient>;

/**
 * Sends a file through a presigned link, straight to storage, reporting the
 * share sent so far (0 to 1). XMLHttpRequest, because fetch reports no upload progress.
 */
export function uploadFile(link: FileLink, file: Blob, onProgress: (share: number) => void): Promise<void> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open(link.method, link.url);
    for (const [name, value] of Object.entries(link.headers)) xhr.setRequestHeader(name, value);
    xhr.upload.onprogress = (e) => {
      if (e.lengthComputable) onProgress(e.loaded / e.total);
    };
    xhr.onload = () => {
      if (xhr.status >= 200 && xhr.status < 300) {
        onProgress(1);
        resolve();
      } else {
        reject(new ApiError(xhr.status, BAD_RESPONSE, 'The file could not be uploaded. Please try again.'));
      }
    };
    xhr.onerror = () => reject(new ApiError(0, NETWORK_ERROR, 'Could not reach the file storage. Check your connection and try again.'));
    xhr.send(file);
  });
}
