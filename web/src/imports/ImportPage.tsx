import { useEffect, useId, useMemo, useState, type FormEvent } from 'react';
import { useApi } from '../api/ApiContext';
import { asApiError, uploadFile, type ApiError } from '../api/client';
import type { Import, ImportMode, ImportSync, Job } from '../api/types';
import { browser } from '../exports/ExportPanel';
import { JobProgress } from '../jobs/JobProgress';
import { pluralize as plural } from '../lib/plural';
import { errorText } from '../ui/errorText';
import { Dialog } from '../ui/Dialog';
import { SelectField } from '../ui/fields';
import { useLookups } from '../users/useLookups';
import { fieldLabel, importStep, syncEffect, type ImportStep } from './importSteps';

/** The columns of the template, in order, with an example row. */
export const TEMPLATE_COLUMNS = [
  'First name',
  'Last name',
  'Email',
  'User ID',
  'Role',
  'Location',
  'Groups',
  'Courses',
  'Active',
  'Expiration date',
  'Approved',
  'Notify',
];

/** The organization's own names the example row may use: a row naming a location that does not exist would fail. */
export interface TemplateNames {
  location?: string;
  group?: string;
  course?: string;
}

/**
 * The template's example row, which validates against the organization it is downloaded from: its location,
 * group and course are the organization's own (left empty when it has none), the course due at the end of next
 * year, and Notify is No, so that trying the template sends nobody an email.
 */
export function templateExample(names: TemplateNames = {}, now = new Date()): string[] {
  const due = `${now.getUTCFullYear() + 1}-12-31`;
  return [
    'Ada',
    'Lovelace',
    'ada.lovelace@example.com',
    '',
    'learner',
    names.location ?? '',
    names.group ?? '',
    names.course ? `${names.course} (${due})` : '',
    'Yes',
    '',
    'Yes',
    'No',
  ];
}

/** The template file: a header line and one example row, in UTF-8 with a byte order mark (Excel reads it so). */
export function templateCsv(example: string[] = templateExample()): string {
  const quote = (cell: string) => (/[",;\n]/.test(cell) ? `"${cell.replaceAll('"', '""')}"` : cell);
  return '\uFEFF' + [TEMPLATE_COLUMNS, example].map((row) => row.map(quote).join(',')).join('\r\n') + '\r\n';
}

const STEPS: { key: ImportStep; label: string }[] = [
  { key: 'upload', label: 'Upload' },
  { key: 'preview', label: 'Preview' },
  { key: 'fix', label: 'Fix errors' },
  { key: 'apply', label: 'Apply' },
  { key: 'results', label: 'Results' },
];

/** Where the import is: each step, the current one marked for screen readers too. */
function Steps({ current }: { current: ImportStep }) {
  const at = STEPS.findIndex((step) => step.key === current);
  return (
    <ol className="steps" aria-label="Steps">
      {STEPS.map((step, i) => (
        <li
          key={step.key}
          className={i < at ? 'step step-done' : i === at ? 'step step-current' : 'step'}
          aria-current={i === at ? 'step' : undefined}
        >
          <span className="step-number" aria-hidden="true">
            {i + 1}
          </span>
          {step.label}
        </li>
      ))}
    </ol>
  );
}

const MODES: { value: ImportMode; label: string }[] = [
  { value: 'add-update', label: 'Add new users and update existing ones' },
  { value: 'add', label: 'Add new users only' },
  { value: 'update', label: 'Update existing users only' },
];
const SYNCS: { value: ImportSync; label: string }[] = [
  { value: '', label: 'Leave them as they are' },
  { value: 'deactivate', label: 'Deactivate them' },
  { value: 'archive', label: 'Archive them' },
];

type Stage =
  | { kind: 'choose' }
  | { kind: 'uploading'; share: number }
  | { kind: 'checking' }
  | { kind: 'preview'; upload: Import }
  | { kind: 'applying'; upload: Import; job: Job }
  | { kind: 'finishing'; upload: Import; job: Job; polls: number }
  | { kind: 'applied'; upload: Import; job: Job };

/** Polls of a failed job's result file before the page offers to validate again without it. */
const LATE_RESULTS_POLLS = 30;

interface ImportPageProps {
  /** Milliseconds between two polls of a job or of its result file. */
  pollEvery?: number;
}

/** Adding and updating users from a CSV or Excel file: upload, preview, errors, apply, results. */
export function ImportPage({ pollEvery = 1000 }: ImportPageProps = {}) {
  const api = useApi();
  const [file, setFile] = useState<File | null>(null);
  const [mode, setMode] = useState<ImportMode>('add-update');
  const [sync, setSync] = useState<ImportSync>('');
  const [skipBadRows, setSkipBadRows] = useState(false);
  const [stage, setStage] = useState<Stage>({ kind: 'choose' });
  const [error, setError] = useState<ApiError | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [confirmingSync, setConfirmingSync] = useState(false);
  const fileId = useId();
  const lookups = useLookups();
  const templateHref = useMemo(
    () =>
      `data:text/csv;charset=utf-8,${encodeURIComponent(
        templateCsv(templateExample({ location: lookups.locations[0]?.name, group: lookups.groups[0]?.name, course: lookups.courses[0]?.name })),
      )}`,
    [lookups.locations, lookups.groups, lookups.courses],
  );

  // Once the job has ended, the worker writes the result file: wait for it.
  const finishing = stage.kind === 'finishing' ? stage : null;
  useEffect(() => {
    if (!finishing) return;
    const controller = new AbortController();
    const timer = setTimeout(async () => {
      try {
        const upload = await api.getImport(finishing.upload.id, { signal: controller.signal });
        setStage(upload.results ? { kind: 'applied', upload, job: finishing.job } : { ...finishing, polls: finishing.polls + 1 });
      } catch (e) {
        if (controller.signal.aborted) return;
        setError(asApiError(e));
        setStage({ ...finishing, polls: finishing.polls + 1 }); // poll again: the worker goes on regardless
      }
    }, pollEvery);
    return () => {
      controller.abort();
      clearTimeout(timer);
    };
  }, [api, finishing, pollEvery]);

  const check = async (id: string) => {
    setStage({ kind: 'checking' });
    try {
      setStage({ kind: 'preview', upload: await api.validateImport(id, mode, sync) });
    } catch (e) {
      setError(asApiError(e));
      setStage({ kind: 'choose' });
    }
  };

  const onUpload = async (e: FormEvent) => {
    e.preventDefault();
    if (!file) return;
    setError(null);
    setNotice(null);
    setSkipBadRows(false);
    try {
      setStage({ kind: 'uploading', share: 0 });
      const started = await api.startImport(file.name, file.size);
      await uploadFile(started.upload, file, (share) => setStage({ kind: 'uploading', share }));
      await check(started.import.id);
    } catch (e) {
      setError(asApiError(e));
      setStage({ kind: 'choose' });
    }
  };

  const onApply = async (upload: Import) => {
    setError(null);
    setNotice(null);
    try {
      const applied = await api.applyImport(upload.id, { mode, sync, skipBadRows }, upload.counts);
      setStage({ kind: 'applying', upload: applied.import, job: applied.job });
    } catch (e) {
      const err = asApiError(e);
      setError(err);
      if (err.status === 409) {
        // The roster changed since the preview: show the new counts.
        try {
          setStage({ kind: 'preview', upload: await api.getImport(upload.id) });
        } catch {
          /* the error above says enough */
        }
      }
    }
  };

  /** Downloads a file of the upload (its error report, its results) through a fresh link. */
  const download = async (link: () => Promise<{ url: string }>) => {
    try {
      browser.download((await link()).url);
    } catch (e) {
      setError(asApiError(e));
    }
  };

  const onValidateAgain = async (upload: Import) => {
    setError(null);
    setNotice(null);
    await check(upload.id);
  };

  const preview = stage.kind === 'preview' ? stage.upload : null;
  const choiceChanged = preview?.options != null && (preview.options.mode !== mode || preview.options.sync !== sync);
  const fileChanged = error?.status === 409 && error.field === 'file';
  const busy = stage.kind === 'uploading' || stage.kind === 'checking' || stage.kind === 'applying';
  const step = importStep(stage.kind, preview?.counts.errors ?? 0, skipBadRows);
  const sync0 = preview ? syncEffect(preview.counts, preview.options?.sync ?? sync) : null;

  return (
    <section className="page import-page" aria-labelledby="import-title">
      <div className="page-header">
        <div>
          <h1 id="import-title">Import users</h1>
          <p className="total">
            Add and update users from a CSV or Excel (.xlsx) file, one user per row. Every row is checked before
            anything is written.
          </p>
        </div>
        <a className="button" href={templateHref} download="roster-import-template.csv">
          Download the template
        </a>
      </div>
      <Steps current={step} />

      <form onSubmit={onUpload} className="card import-form" aria-label="Upload">
        <div className="field file-field">
          <label htmlFor={fileId}>File</label>
          <input
            id={fileId}
            type="file"
            accept=".csv,.txt,.xlsx"
            aria-describedby={`${fileId}-hint`}
            onChange={(e) => setFile(e.target.files?.[0] ?? null)}
          />
          <p id={`${fileId}-hint`} className="field-hint">
            The first line names the columns, as in the template. Columns Roster does not read are left out.
          </p>
        </div>
        <SelectField label="Mode" options={MODES} value={mode} onChange={(e) => setMode(e.target.value as ImportMode)} />
        <fieldset className="field sync-field">
          <legend>Users not in the file</legend>
          {SYNCS.map((s) => (
            <label key={s.value} className="checkbox-label">
              <input type="radio" name="sync" value={s.value} checked={sync === s.value} onChange={() => setSync(s.value)} />
              {s.label}
            </label>
          ))}
        </fieldset>
        <div className="import-submit">
          <button type="submit" className="button button-primary" disabled={!file || busy}>
            Upload and check
          </button>
        </div>
      </form>

      {error && (
        <p role="alert" className="alert alert-error">
          {errorText(error)}
        </p>
      )}
      {notice && (
        <p role="status" className="alert alert-info">
          {notice}
        </p>
      )}
      {stage.kind === 'uploading' && (
        <div className="card import-progress">
          <span>Uploading…</span>
          <progress aria-label="Upload" max={1} value={stage.share} /> {Math.round(stage.share * 100)}%
        </div>
      )}
      {stage.kind === 'checking' && (
        <p role="status" className="alert alert-info">
          Checking every row…
        </p>
      )}

      {preview && (
        <section className="card import-preview" aria-labelledby={`${fileId}-preview`}>
          <h2 id={`${fileId}-preview`}>Preview of {preview.fileName}</h2>
          <ul aria-label="Counts" className="import-counts">
            <li className="count-tile count-create">{plural(preview.counts.create, 'user')} to add</li>
            <li className="count-tile count-update">{plural(preview.counts.update, 'user')} to update</li>
            <li className="count-tile">{preview.counts.unchanged} unchanged</li>
            {preview.counts.deactivate > 0 && (
              <li className="count-tile count-warning">{plural(preview.counts.deactivate, 'user')} not in the file to deactivate</li>
            )}
            {preview.counts.archive > 0 && (
              <li className="count-tile count-warning">{plural(preview.counts.archive, 'user')} not in the file to archive</li>
            )}
            <li className={preview.counts.errors > 0 ? 'count-tile count-error' : 'count-tile'}>
              {plural(preview.counts.errors, 'row')} with errors
            </li>
          </ul>

          <h3>Columns</h3>
          <div className="table-wrap">
            <table className="data-table" aria-label="Columns">
              <thead>
                <tr>
                  <th scope="col">Column</th>
                  <th scope="col">In your file</th>
                  <th scope="col">
                    <span className="visually-hidden">becomes</span>
                  </th>
                  <th scope="col">Roster field</th>
                </tr>
              </thead>
              <tbody>
                {preview.columns.map((c) => (
                  <tr key={c.column}>
                    <td className="muted">{c.column}</td>
                    <td>{c.header}</td>
                    <td aria-hidden="true" className="muted">
                      →
                    </td>
                    <td>{fieldLabel(c.field)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>

          {preview.errors.length > 0 && (
            <>
              <h3>Errors to fix</h3>
              <p className="muted">
                Fix these lines in your file and upload it again, or skip them. The report lists every error.
              </p>
              <div className="table-wrap">
                <table className="data-table import-errors" aria-label="Errors">
                  <thead>
                    <tr>
                      <th scope="col">Line</th>
                      <th scope="col">Column</th>
                      <th scope="col">Error</th>
                    </tr>
                  </thead>
                  <tbody>
                    {preview.errors.map((e, i) => (
                      <tr key={i}>
                        <td>{e.line}</td>
                        <td>
                          {e.column}
                          {columnHeader(preview, e.column) && <span className="muted"> · {columnHeader(preview, e.column)}</span>}
                        </td>
                        <td>{e.message}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
              <div className="button-row">
                <button type="button" className="button" onClick={() => void download(() => api.importErrors(preview.id))}>
                  Download the error report
                </button>
                <label className="checkbox-label">
                  <input type="checkbox" checked={skipBadRows} onChange={(e) => setSkipBadRows(e.target.checked)} />
                  Skip the rows with errors
                </label>
              </div>
            </>
          )}

          {sync0 && (
            <p className="alert alert-warning">
              <span>
                <strong>Warning:</strong> {sync0.warning}
              </span>
            </p>
          )}

          <div className="button-row import-apply">
            {choiceChanged ? (
              <button type="button" className="button button-primary" onClick={() => void check(preview.id)}>
                Check again with these choices
              </button>
            ) : fileChanged ? (
              <button type="button" className="button button-primary" onClick={() => void onValidateAgain(preview)}>
                Validate again
              </button>
            ) : (
              <button
                type="button"
                className="button button-primary"
                disabled={preview.counts.errors > 0 && !skipBadRows}
                onClick={() => (sync0 ? setConfirmingSync(true) : void onApply(preview))}
              >
                Apply
              </button>
            )}
          </div>
          {confirmingSync && sync0 && (
            <Dialog title={sync0.title} onClose={() => setConfirmingSync(false)}>
              <p className="alert alert-warning">{sync0.warning}</p>
              <div className="dialog-actions">
                <button type="button" className="button" onClick={() => setConfirmingSync(false)}>
                  Cancel
                </button>
                <button
                  type="button"
                  className="button button-danger"
                  autoFocus
                  onClick={() => {
                    setConfirmingSync(false);
                    void onApply(preview);
                  }}
                >
                  Yes, apply and {sync0.verb} {plural(sync0.count, 'user')}
                </button>
              </div>
            </Dialog>
          )}
        </section>
      )}

      {stage.kind === 'applying' && (
        <section className="card" aria-label="Applying">
          <h2>Applying {stage.upload.fileName}</h2>
          <JobProgress
            job={stage.job}
            pollEvery={pollEvery}
            onFinished={(job) => {
              setStage({ kind: 'finishing', upload: stage.upload, job, polls: 0 });
              setNotice(job.status === 'done' ? `Applied: ${plural(job.done, 'row')} done, ${job.skipped} skipped, ${job.failed} failed.` : `The import ${job.status}${job.message ? `: ${job.message}` : '.'}`);
            }}
          />
        </section>
      )}
      {stage.kind === 'finishing' && <p role="status">Writing the result file…</p>}
      {stage.kind === 'finishing' && stage.job.status === 'failed' && !stage.job.message?.startsWith('stopped: ') && stage.polls >= LATE_RESULTS_POLLS && (
        <p>
          The result file is late. The job changed nobody, so you can validate the file again now.{' '}
          <button type="button" className="button button-small" onClick={() => void onValidateAgain(stage.upload)}>
            Validate again
          </button>
        </p>
      )}
      {stage.kind === 'applied' && (
        <section className="card import-results" aria-label="Results">
          <h2>Results of {stage.upload.fileName}</h2>
          {stage.upload.results && (
            <ul className="import-counts" aria-label="Result counts">
              <li className="count-tile count-create">{plural(stage.upload.results.done, 'row')} done</li>
              <li className="count-tile">{stage.upload.results.skipped} skipped</li>
              <li className={stage.upload.results.failed > 0 ? 'count-tile count-error' : 'count-tile'}>{stage.upload.results.failed} failed</li>
            </ul>
          )}
          {stage.upload.results && stage.upload.results.notApplied > 0 && (
            <p>{plural(stage.upload.results.notApplied, 'row')} not applied.</p>
          )}
          <p>
            <button type="button" className="button" onClick={() => void download(() => api.importResults(stage.upload.id))}>
              Download the results
            </button>
          </p>
          {stage.upload.validatable ? (
            <p>
              Nothing was changed: validate the file again to see what it does now, then apply it.{' '}
              <button type="button" className="button button-small" onClick={() => void onValidateAgain(stage.upload)}>
                Validate again
              </button>
            </p>
          ) : (
            stage.job.status !== 'done' && <p>The job changed users before it stopped: upload the file again to import the rest.</p>
          )}
        </section>
      )}
    </section>
  );
}

/** The header of a column as the file spells it ("E" → "Location"), for the errors. */
function columnHeader(upload: Import, column: string): string {
  return upload.columns.find((c) => c.column === column)?.header ?? '';
}
