import { useEffect, useMemo, useState } from 'react';
import { useApi } from '../api/ApiContext';
import type { RecordFilter, TrainingRecord, TrainingRecordQuery } from '../api/types';
import { collect } from '../audit/useAuditLog';
import { FIRST_PAGE, currentCursor, popCursor, pushCursor, type CursorStack } from '../lib/cursorStack';
import { formatDate, formatDay, fullName } from '../lib/format';
import { useResource } from '../lib/useResource';
import { Link, replaceQuery } from '../router/router';
import { errorText } from '../ui/errorText';
import { SelectField, TextField, type Option } from '../ui/fields';
import { ExportPanel } from '../exports/ExportPanel';
import { Dialog } from '../ui/Dialog';
import { useLookups } from '../users/useLookups';
import {
  NO_RECORD_FILTERS,
  RECORD_STATUS_LABELS,
  recordFiltersFromSearch,
  recordFiltersToSearch,
  recordRangeErrors,
  toRecordQuery,
  type RecordFilterValues,
} from './recordFilters';

export const RECORDS_PAGE_SIZE = 50;

/** The filters set in a query, as an export takes them. */
function recordFilterOf(query: TrainingRecordQuery): RecordFilter {
  return Object.fromEntries(
    Object.entries(query).filter(([key, v]) => v !== undefined && key !== 'limit' && key !== 'cursor'),
  ) as RecordFilter;
}

const STATE_LABELS: Record<TrainingRecord['state'], string> = {
  not_started: 'Not started',
  in_progress: 'In progress',
  completed: 'Completed',
};

const statusOptions: Option[] = [
  { value: '', label: 'All statuses' },
  ...Object.entries(RECORD_STATUS_LABELS).map(([value, label]) => ({ value, label })),
];

function withAny(label: string, items: { id: string; name: string }[]): Option[] {
  return [{ value: '', label }, ...items.map((item) => ({ value: item.id, label: item.name }))];
}

/** The record's status and its marks: overdue, user archived, activity archived. */
function RecordStatusCell({ record }: { record: TrainingRecord }) {
  return (
    <>
      {STATE_LABELS[record.state]}
      {record.overdue && (
        <>
          {' '}
          <span className="badge badge-overdue">Overdue</span>
        </>
      )}
      {record.user.archived && (
        <>
          {' '}
          <span className="badge badge-archived">User archived</span>
        </>
      )}
      {record.activityArchived && (
        <>
          {' '}
          <span className="badge badge-archived" title={`Archived ${formatDate(record.activityArchivedAt)}`}>
            Activity archived
          </span>
        </>
      )}
    </>
  );
}

/** Training records ("team results"): every enrollment with its status and dates, archived ones included and marked. */
export function TrainingRecordsPage() {
  const api = useApi();
  const lookups = useLookups();
  const [values, setValues] = useState<RecordFilterValues>(() => recordFiltersFromSearch(window.location.search));
  const [cursors, setCursors] = useState<CursorStack>(FIRST_PAGE);
  const [exporting, setExporting] = useState(false);
  const change = (changes: Partial<RecordFilterValues>) => {
    setValues((v) => ({ ...v, ...changes }));
    setCursors(FIRST_PAGE);
  };
  const query = useMemo(() => toRecordQuery(values), [values]);
  const queryKey = JSON.stringify(query);
  const cursor = currentCursor(cursors);
  const page = useResource(
    (signal) =>
      collect<TrainingRecord>(
        (p, s) => api.listTrainingRecords({ ...query, ...p }, { signal: s }),
        cursor,
        RECORDS_PAGE_SIZE,
        signal,
      ),
    [api, queryKey, cursor],
  );
  useEffect(() => replaceQuery(recordFiltersToSearch(values)), [values]);

  const errors = recordRangeErrors(values);
  const records = page.data?.items ?? [];
  const nextCursor = page.data?.nextCursor ?? null;
  const filtered = recordFiltersToSearch(values) !== '';

  return (
    <section className="page" aria-labelledby="records-title">
      <div className="page-header">
        <div>
          <h1 id="records-title">Training records</h1>
          <p className="total">
            Every course assignment with its status and dates, archived users and archived course activity included.
          </p>
        </div>
        <div className="button-row">
          <button type="button" className="button" onClick={() => setExporting(true)}>
            Export
          </button>
        </div>
      </div>

      {exporting && (
        <Dialog title="Export training records" onClose={() => setExporting(false)}>
          <ExportPanel
            describe={filtered ? 'the training records that match the filters' : 'every training record'}
            target={{ records: recordFilterOf(query) }}
          />
          <div className="button-row">
            <button type="button" className="button" onClick={() => setExporting(false)}>
              Close
            </button>
          </div>
        </Dialog>
      )}

      <search className="filters records-filters" aria-label="Filter training records">
        <SelectField
          label="Course"
          options={withAny('All courses', lookups.filterCourses)}
          value={values.course}
          onChange={(e) => change({ course: e.target.value })}
        />
        <SelectField
          label="Group"
          options={withAny('All groups', lookups.groups)}
          value={values.group}
          onChange={(e) => change({ group: e.target.value })}
        />
        <SelectField
          label="Location"
          options={withAny('All locations', lookups.locations)}
          value={values.location}
          onChange={(e) => change({ location: e.target.value })}
        />
        <SelectField
          label="Status"
          options={statusOptions}
          value={values.status}
          onChange={(e) => change({ status: e.target.value as RecordFilterValues['status'] })}
        />
        <TextField label="Due from" type="date" value={values.dueFrom} onChange={(e) => change({ dueFrom: e.target.value })} />
        <TextField
          label="Due to"
          type="date"
          value={values.dueTo}
          error={errors.dueTo}
          onChange={(e) => change({ dueTo: e.target.value })}
        />
        <TextField
          label="Completed from"
          type="date"
          value={values.completedFrom}
          onChange={(e) => change({ completedFrom: e.target.value })}
        />
        <TextField
          label="Completed to"
          type="date"
          value={values.completedTo}
          error={errors.completedTo}
          onChange={(e) => change({ completedTo: e.target.value })}
        />
        <button
          type="button"
          className="button"
          disabled={!filtered}
          onClick={() => {
            setValues(NO_RECORD_FILTERS);
            setCursors(FIRST_PAGE);
          }}
        >
          Clear filters
        </button>
      </search>

      {page.error && (
        <div className="alert alert-error" role="alert">
          <span>The training records could not be loaded. {errorText(page.error)}</span>
          <button type="button" className="button button-small" onClick={page.reload}>
            Try again
          </button>
        </div>
      )}

      <div className="table-wrap">
        <table className="data-table" aria-label="Training records" aria-busy={page.loading}>
          <thead>
            <tr>
              <th scope="col">Learner</th>
              <th scope="col">Course</th>
              <th scope="col">Status</th>
              <th scope="col">Assigned</th>
              <th scope="col">Due</th>
              <th scope="col">Started</th>
              <th scope="col">Completed</th>
              <th scope="col">Location</th>
              <th scope="col">Groups</th>
            </tr>
          </thead>
          <tbody>
            {records.map((r, i) => (
              <tr key={`${r.user.id}:${r.course.id}:${r.activityArchivedAt ?? ''}:${i}`} className={r.overdue ? 'record-overdue' : undefined}>
                <td>
                  <Link to={`/users/${encodeURIComponent(r.user.id)}`}>{fullName(r.user)}</Link>
                  <div className="muted">{r.user.email ?? r.user.userId}</div>
                </td>
                <td>
                  <Link to={`/courses/${encodeURIComponent(r.course.id)}`}>{r.course.name}</Link>
                </td>
                <td>
                  <RecordStatusCell record={r} />
                </td>
                <td>{formatDate(r.assignedAt)}</td>
                <td>{formatDay(r.dueAt)}</td>
                <td>{formatDate(r.startedAt)}</td>
                <td>{formatDate(r.completedAt)}</td>
                <td>{r.location?.name ?? ''}</td>
                <td>{r.groups.map((g) => g.name).join(', ')}</td>
              </tr>
            ))}
            {page.data && records.length === 0 && (
              <tr>
                <td colSpan={9} className="empty-row">
                  {nextCursor
                    ? 'No record on this stretch: the next page reads on.'
                    : filtered
                      ? 'No training record matches these filters.'
                      : 'No course has been assigned yet.'}
                </td>
              </tr>
            )}
          </tbody>
        </table>
      </div>

      <nav className="pager" aria-label="Pages">
        <p className="muted">{cursors.length > 0 ? `Page ${cursors.length + 1}` : ''}</p>
        <div className="button-row">
          <button
            type="button"
            className="button"
            disabled={cursors.length === 0}
            onClick={() => setCursors((c) => popCursor(c))}
          >
            Previous
          </button>
          <button
            type="button"
            className="button"
            disabled={!nextCursor || page.loading}
            onClick={() => nextCursor && setCursors((c) => pushCursor(c, nextCursor))}
          >
            Next
          </button>
        </div>
      </nav>
    </section>
  );
}
