import { useId, useState } from 'react';
import { ConfirmDialog } from '../../components/confirm-dialog';
import { ErrorText } from '../../components/error-panel';
import { useT } from '../../i18n/use-t';
import { useDeleteRayCluster } from './api';

/**
 * Deletes a RayCluster once the person has typed its name: the button stays off until the name matches
 * (the BFF checks it again, and the API server decides with the person's own rights). A refusal (403:
 * the verb and resource, for whom) is shown in the dialog as the API server gave it.
 */
export function DeleteRayClusterDialog({
  open,
  namespace,
  name,
  onClose,
  onDeleted,
}: {
  open: boolean;
  namespace: string;
  name: string;
  onClose: () => void;
  onDeleted: () => void;
}) {
  const { t } = useT('kuberayCluster');
  const fieldId = useId();
  const [typed, setTyped] = useState('');
  const remove = useDeleteRayCluster(namespace, name);
  const close = () => {
    setTyped('');
    remove.reset();
    onClose();
  };
  return (
    <ConfirmDialog
      open={open}
      title={t('delete.title', { name })}
      confirmLabel={t('delete.confirm')}
      danger
      busy={remove.isPending}
      confirmDisabled={typed !== name}
      onConfirm={() => remove.mutate(typed, { onSuccess: onDeleted })}
      onCancel={close}
    >
      <p>{t('delete.body')}</p>
      <div className="field">
        <label htmlFor={fieldId}>{t('delete.field', { name })}</label>
        <input
          id={fieldId}
          value={typed}
          onChange={(e) => setTyped(e.target.value)}
          autoComplete="off"
          spellCheck={false}
          aria-invalid={remove.isError || undefined}
        />
      </div>
      {remove.isError ? (
        <p className="field-error" role="alert">
          <ErrorText error={remove.error} />
        </p>
      ) : null}
    </ConfirmDialog>
  );
}
