import { useEffect, useMemo, useState, type FormEvent } from 'react';
import { useApi } from '../api/ApiContext';
import { asApiError, uploadFile, type ApiError } from '../api/client';
import type { Import, ImportMode, ImportSync, Job } from '../api/types';
import { browser } from '../exports/ExportPanel';
import { JobProgress } from '../jobs/JobProgress';
import { pluralize as plural } from '../lib/plural';
import { errorText } from '../ui/errorText';

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
const TEMPLATE_EXAMPLE = ['Ada', 'Lovelace', 'ada@example.com', '', 'learner', 'Leeds', 'Day shift; Night shift', 'Fire safety (2026-12-31)', 'Yes', '', 'Yes', 'Yes'];

/** The template file: a header line and one example row, in UTF-8 with a byte order mark (Excel reads it so). */
export function templateCsv(): string {
  const quote = (cell: string) => (/[",;\n]/.test(cell) ? `"${cell.replaceAll('"', '""')}"` : cell);
  return '\uFEFF' + [TEMPLATE_COLUMNS, TEMPLATE_EXAMPLE].map((row) => row.map(quote).join(',')).join('\r\n') + '\r\n';
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
  const templateHref = useMemo(() => `data:text/csv;charset=utf-8,${encodeURIComponent(templateCsv())}`, []);

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

  return (
    <section className="page import-page" aria-labelledby="import-title">
      <h1 id="import-title">Import users</h1>
      <p>
        Upload a CSV or Excel (.xlsx) file with one user per row. Every row is checked before anything is
        written. <a href={templateHref} download="roster-import-template.csv">Download the template</a>
      </p>
      <form onSubmit={onUpload} className="import-form">
        <label>
          File
          <input type="file" accept=".csv,.txt,.xlsx" onChange={(e) => setFile(e.target.files?.[0] ?? null)} />
        </label>
        <label>
          Mode
          <select value={mode} onChange={(e) => setMode(e.target.value as ImportMode)}>
            {MODES.map((m) => (
              <option key={m.value} value={m.value}>
                {m.label}
              </option>
            ))}
          </select>
        </label>
        <label>
          Users not in the file
          <select value={sync} onChange={(e) => setSync(e.target.value as ImportSync)}>
            {SYNCS.map((s) => (
              <option key={s.value} value={s.value}>
                {s.label}
              </option>
            ))}
          </select>
        </label>
        <button type="submit" disabled={!file || stage.kind === 'uploading' || stage.kind === 'checking' || stage.kind === 'applying'}>
          Upload and check
        </button>
      </form>

      {error && (
        <p role="alert" className="error">
          {errorText(error)}
        </p>
      )}
      {notice && <p role="status">{notice}</p>}
      {stage.kind === 'uploading' && (
        <p>
          Uploading… <progress aria-label="Upload" max={1} value={stage.share} /> {Math.round(stage.share * 100)}%
        </p>
      )}
      {stage.kind === 'checking' && <p role="status">Checking every row…</p>}

      {preview && (
        <div className="import-preview">
          <h2>Preview of {preview.fileName}</h2>
          <table aria-label="Columns">
            <thead>
              <tr>
                <th>Column</th>
                <th>Header</th>
                <th>Becomes</th>
              </tr>
            </thead>
            <tbody>
              {preview.columns.map((c) => (
                <tr key={c.column}>
                  <td>{c.column}</td>
                  <td>{c.header}</td>
                  <td>{c.field}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <ul aria-label="Counts" className="import-counts">
            <li>{plural(preview.counts.create, 'user')} to add</li>
            <li>{plural(preview.counts.update, 'user')} to update</li>
            <li>{preview.counts.unchanged} unchanged</li>
            {preview.counts.deactivate > 0 && <li>{plural(preview.counts.deactivate, 'user')} not in the file to deactivate</li>}
            {preview.counts.archive > 0 && <li>{plural(preview.counts.archive, 'user')} not in the file to archive</li>}
            <li>{plural(preview.counts.errors, 'row')} with errors</li>
          </ul>
          {preview.errors.length > 0 && (
            <>
              <table aria-label="Errors">
                <thead>
                  <tr>
                    <th>Line</th>
                    <th>Column</th>
                    <th>Error</th>
                  </tr>
                </thead>
                <tbody>
                  {preview.errors.map((e, i) => (
                    <tr key={i}>
                      <td>{e.line}</td>
                      <td>{e.column}</td>
                      <td>{e.message}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
              <button type="button" onClick={() => void download(() => api.importErrors(preview.id))}>
                Download the error report
              </button>
              <label>
                <input type="checkbox" checked={skipBadRows} onChange={(e) => setSkipBadRows(e.target.checked)} />
                Skip the rows with errors
              </label>
            </>
          )}
          {choiceChanged ? (
            <button type="button" onClick={() => void check(preview.id)}>
              Check again with these choices
            </button>
          ) : fileChanged ? (
            <button type="button" onClick={() => void onValidateAgain(preview)}>
              Validate again
            </button>
          ) : (
            <button type="button" disabled={preview.counts.errors > 0 && !skipBadRows} onClick={() => void onApply(preview)}>
              Apply
            </button>
          )}
        </div>
      )}

      {stage.kind === 'applying' && (
        <JobProgress
          job={stage.job}
          pollEvery={pollEvery}
          onFinished={(job) => {
            setStage({ kind: 'finishing', upload: stage.upload, job, polls: 0 });
            setNotice(job.status === 'done' ? `Applied: ${plural(job.done, 'row')} done, ${job.skipped} skipped, ${job.failed} failed.` : `The import ${job.status}${job.message ? `: ${job.message}` : '.'}`);
          }}
        />
      )}
      {stage.kind === 'finishing' && <p role="status">Writing the result file…</p>}
      {stage.kind === 'finishing' && stage.job.status === 'failed' && !stage.job.message?.startsWith('stopped: ') && stage.polls >= LATE_RESULTS_POLLS && (
        <p>
          The result file is late. The job changed nobody, so you can validate the file again now.{' '}
          <button type="button" onClick={() => void onValidateAgain(stage.upload)}>
            Validate again
          </button>
        </p>
      )}
      {stage.kind === 'applied' && (
        <div className="import-results">
          {stage.upload.results && stage.upload.results.notApplied > 0 && (
            <p>{plural(stage.upload.results.notApplied, 'row')} not applied.</p>
          )}
          <p>
            <button type="button" onClick={() => void download(() => api.importResults(stage.upload.id))}>
              Download the results
            </button>
          </p>
          {stage.upload.validatable ? (
            <p>
              Nothing was changed: validate the file again to see what it does now, then apply it.{' '}
              <button type="button" onClick={() => void onValidateAgain(stage.upload)}>
                Validate again
              </button>
            </p>
          ) : (
            stage.job.status !== 'done' && <p>The job changed users before it stopped: upload the file again to import the rest.</p>
          )}
        </div>
      )}
    </section>
  );
}
