import { useEffect, useId, useRef, type ReactNode } from 'react';
import { useT } from '../i18n/use-t';

/**
 * A modal confirmation built on <dialog>, which gives focus trapping, Escape to cancel and the right
 * roles for free.
 */
export function ConfirmDialog({
  open,
  title,
  children,
  confirmLabel,
  danger = false,
  busy = false,
  confirmDisabled = false,
  onConfirm,
  onCancel,
}: {
  open: boolean;
  title: string;
  children: ReactNode;
  confirmLabel: string;
  danger?: boolean;
  busy?: boolean;
  /** Keeps the confirm button off until the dialog's own fields allow it (a name typed again, say). */
  confirmDisabled?: boolean;
  onConfirm: () => void;
  onCancel: () => void;
}) {
  const { t } = useT('common');
  const ref = useRef<HTMLDialogElement>(null);
  // Unique per dialog: a page holds several (a job's Stop and Copy as CLI), and a shared id named each
  // dialog after the first one's title.
  const titleId = useId();
  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    if (open && !dialog.open) dialog.showModal();
    if (!open && dialog.open) dialog.close();
  }, [open]);
  return (
    <dialog ref={ref} className="dialog" aria-labelledby={titleId} onCancel={onCancel}>
      <h2 id={titleId}>{title}</h2>
      <div>{children}</div>
      <div className="dialog-actions">
        <button type="button" className="button" onClick={onCancel} disabled={busy}>
          {t('dialog.cancel')}
        </button>
        <button
          type="button"
          className={danger ? 'button button-danger' : 'button button-primary'}
          onClick={onConfirm}
          disabled={busy || confirmDisabled}
        >
          {busy ? t('dialog.working') : confirmLabel}
        </button>
      </div>
    </dialog>
  );
}
