import { useEffect } from 'react';

export interface ToastNotice {
  tone: 'success' | 'warning' | 'error';
  text: string;
  /** Takes the action back; shown as an Undo button. */
  undo?: () => void;
}

interface ToastProps {
  notice: ToastNotice;
  onDismiss: () => void;
  /** Milliseconds before it goes by itself; 0 keeps it. */
  hideAfter?: number;
}

/**
 * A short notice after an action, at the bottom of the screen (role=status: read out, not focused),
 * with Undo when the action can be taken back. It goes after a while, or on its close button.
 */
export function Toast({ notice, onDismiss, hideAfter = 10_000 }: ToastProps) {
  useEffect(() => {
    if (!hideAfter) return;
    const timer = setTimeout(onDismiss, hideAfter);
    return () => clearTimeout(timer);
  }, [notice, onDismiss, hideAfter]);
  return (
    <div className={`toast toast-${notice.tone}`} role="status">
      <span className="toast-text">{notice.text}</span>
      {notice.undo && (
        <button type="button" className="button button-small toast-undo" onClick={notice.undo}>
          Undo
        </button>
      )}
      <button type="button" className="toast-close" aria-label="Dismiss" onClick={onDismiss}>
        ×
      </button>
    </div>
  );
}
