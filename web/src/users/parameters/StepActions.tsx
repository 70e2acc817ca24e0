interface StepActionsProps {
  onCancel: () => void;
  /** The submit button's words. */
  continueLabel?: string;
  continueDisabled?: boolean;
}

/** The buttons under a parameter step: Cancel, and the submit that goes on to the confirmation. */
export function StepActions({ onCancel, continueLabel = 'Continue', continueDisabled = false }: StepActionsProps) {
  return (
    <div className="dialog-actions">
      <button type="button" className="button" onClick={onCancel}>
        Cancel
      </button>
      <button type="submit" className="button button-primary" disabled={continueDisabled}>
        {continueLabel}
      </button>
    </div>
  );
}
