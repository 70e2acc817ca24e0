import { useEffect, useRef, useState } from 'react';
import { useApi } from '../api/ApiContext';
import { asApiError, type ApiError } from '../api/client';
import type { Export, ExportFormat, ExportKind, ExportTarget } from '../api/types';
import { pluralize } from '../lib/plural';
import { errorText } from '../ui/errorText';

interface ExportPanelProps {
  /** What the export holds, said to people: "the 40 users that match the filters". */
  describe: string;
  /** What is exported: the users the filters in effect match, the selected users, or training records. */
  target: ExportTarget;
  /** Milliseconds between two polls of a running export. */
  pollEvery?: number;
}

/** Where the browser goes to download: a seam for tests. */
export const browser = {
  download(url: string) {
    window.location.assign(url);
  },
};

/** The kind of export a target asks for. */
export function exportKind(target: ExportTarget): ExportKind {
  return 'records' in target ? 'training-records' : 'users';
}

/**
 * Exports users or training records to a spreadsheet: a format, a button, the rows written so far while the
 * server writes it, then a download that asks for a fresh short-lived link each time.
 */
export function ExportPanel({ describe, target, pollEvery = 1000 }: ExportPanelProps) {
  const api = useApi();
  const [format, setFormat] = useState<ExportFormat>('xlsx');
  const [current, setCurrent] = useState<Export | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [starting, setStarting] = useState(false);
  const polling = current !== null && (current.status === 'queued' || current.status === 'running');
  const id = current?.id;
  const pollRef = useRef(pollEvery);
  pollRef.current = pollEvery;

  useEffect(() => {
    if (!polling || !id) return;
    const controller = new AbortController();
    const timer = setTimeout(async () => {
      try {
        setCurrent(await api.getExport(id, { signal: controller.signal }));
        setError(null);
      } catch (e) {
        if (controller.signal.aborted) return;
        setError(asApiError(e));
        setCurrent((c) => (c ? { ...c } : c)); // poll again: the export goes on regardless
      }
    }, pollRef.current);
    return () => {
      controller.abort();
      clearTimeout(timer);
    };
  }, [api, polling, id, current]);

  async function start() {
    setStarting(true);
    setError(null);
    try {
      setCurrent(await api.startExport({ kind: exportKind(target), format }, target));
    } catch (e) {
      setError(asApiError(e));
    } finally {
      setStarting(false);
    }
  }

  async function download() {
    if (!current) return;
    try {
      const fresh = await api.getExport(current.id);
      setCurrent(fresh);
      if (fresh.download) browser.download(fresh.download.url);
    } catch (e) {
      setError(asApiError(e));
    }
  }

  return (
    <div className="export-panel" role="region" aria-label="Export">
      <p>Export {describe} to a spreadsheet.</p>
      <div className="button-row">
        <label>
          Format{' '}
          <select value={format} onChange={(e) => setFormat(e.target.value as ExportFormat)} disabled={polling || starting}>
            <option value="xlsx">Excel (.xlsx)</option>
            <option value="csv">CSV</option>
          </select>
        </label>
        <button type="button" className="button button-primary" onClick={() => void start()} disabled={polling || starting}>
          {starting ? 'Starting…' : 'Export'}
        </button>
      </div>
      {polling && current && (
        <div className="job-progress">
          <label htmlFor={`export-${current.id}`} className="job-progress-label">
            Exporting… {pluralize(current.rows, 'row')} written
          </label>
          <progress id={`export-${current.id}`} className="job-progress-bar" />
        </div>
      )}
      {current?.status === 'done' && (
        <p role="status" className="alert alert-success">
          {pluralize(current.rows, 'row')} exported.{' '}
          <button type="button" className="button button-small" onClick={() => void download()}>
            Download {current.download?.fileName ?? 'the file'}
          </button>
        </p>
      )}
      {current?.status === 'failed' && (
        <p role="alert" className="alert alert-error">
          The export failed: {current.message ?? 'please try again.'}
        </p>
      )}
      {error && (
        <p role="alert" className="alert alert-error">
          {errorText(error)}
        </p>
      )}
    </div>
  );
}
