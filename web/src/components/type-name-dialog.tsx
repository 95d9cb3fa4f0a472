import { useId, useState, type ReactNode } from 'react';
import { ConfirmDialog } from './confirm-dialog';
import { ErrorText } from './error-panel';

/**
 * A confirmation for what cannot be undone (deleting a RayCluster or a RayJob): the person types the
 * object's name, and the button stays off until it matches. The BFF checks the name again and the API
 * server decides with the person's own rights; a refusal is shown in the dialog as it came.
 */
export function TypeNameDialog({
  open,
  name,
  title,
  body,
  fieldLabel,
  confirmLabel,
  busy,
  error,
  onConfirm,
  onClose,
}: {
  open: boolean;
  /** What must be typed. */
  name: string;
  title: string;
  body: ReactNode;
  fieldLabel: string;
  confirmLabel: string;
  busy: boolean;
  /** The last attempt's failure, if any. */
  error: unknown;
  onConfirm: (typed: string) => void;
  /** Closed without confirming; the typed name is forgotten. */
  onClose: () => void;
}) {
  const fieldId = useId();
  const [typed, setTyped] = useState('');
  const close = () => {
    setTyped('');
    onClose();
  };
  return (
    <ConfirmDialog
      open={open}
      title={title}
      confirmLabel={confirmLabel}
      danger
      busy={busy}
      confirmDisabled={typed !== name}
      onConfirm={() => onConfirm(typed)}
      onCancel={close}
    >
      <p>{body}</p>
      <div className="field">
        <label htmlFor={fieldId}>{fieldLabel}</label>
        <input
          id={fieldId}
          value={typed}
          onChange={(e) => setTyped(e.target.value)}
          autoComplete="off"
          spellCheck={false}
          aria-invalid={(typed !== '' && typed !== name) || error ? true : undefined}
        />
      </div>
      {error ? (
        <p className="field-error" role="alert">
          <ErrorText error={error} />
        </p>
      ) : null}
    </ConfirmDialog>
  );
}
