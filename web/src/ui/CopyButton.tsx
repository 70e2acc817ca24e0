import { useEffect, useState } from 'react';

type Outcome = 'copied' | 'failed' | undefined;

const SHOWN_MS = 4000;

/**
 * Copies `text` to the clipboard, and says so. Where the browser refuses (no
 * clipboard, or no permission), it says to copy by hand from the field beside it.
 */
export function CopyButton({ text, label = 'Copy' }: { text: string; label?: string }) {
  const [outcome, setOutcome] = useState<Outcome>();

  useEffect(() => {
    if (!outcome) return;
    const timer = window.setTimeout(() => setOutcome(undefined), SHOWN_MS);
    return () => window.clearTimeout(timer);
  }, [outcome]);

  async function copy() {
    try {
      if (!navigator.clipboard) throw new Error('no clipboard');
      await navigator.clipboard.writeText(text);
      setOutcome('copied');
    } catch {
      setOutcome('failed');
    }
  }

  return (
    <span className="copy-control">
      <button type="button" className="button" onClick={() => void copy()}>
        {label}
      </button>
      <span role="status" className={outcome === 'failed' ? 'copy-outcome copy-failed' : 'copy-outcome'}>
        {outcome === 'copied' && 'Copied'}
        {outcome === 'failed' && 'Could not copy: select the text and copy it yourself.'}
      </span>
    </span>
  );
}
