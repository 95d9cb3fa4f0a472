import { TypeNameDialog } from '../../components/type-name-dialog';
import { useT } from '../../i18n/use-t';
import { useDeleteRayCluster } from './api';

/** Deletes a RayCluster once the person has typed its name (the BFF checks the name it is sent). */
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
  const remove = useDeleteRayCluster(namespace, name);
  return (
    <TypeNameDialog
      open={open}
      name={name}
      title={t('delete.title', { name })}
      body={t('delete.body')}
      fieldLabel={t('delete.field', { name })}
      confirmLabel={t('delete.confirm')}
      busy={remove.isPending}
      error={remove.isError ? remove.error : undefined}
      onConfirm={(typed) => remove.mutate(typed, { onSuccess: onDeleted })}
      onClose={() => {
        remove.reset();
        onClose();
      }}
    />
  );
}
