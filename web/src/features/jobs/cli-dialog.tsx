import { useState } from 'react';
import { useQuery } from '@tanstack/react-query';
import type { JobSubmitRequest } from '@ray-console/shared';
import { CopyButton } from '../../components/copy-button';
import { ConfirmDialog } from '../../components/confirm-dialog';
import { Rich, useT } from '../../i18n/use-t';
import { clusterListQuery } from '../clusters/api';
import { rayJobSubmitCommand } from './cli-command';

/** Stands in for the address when the console does not know it (a cluster list not loaded yet, say). */
const UNKNOWN_ADDRESS = 'http://RAY-HEAD:8265';

/** "Copy as CLI": the `ray job submit` line for the same job; it reads the token from the user's own setup. */
export function CopyAsCli({ clusterId, request }: { clusterId: string; request: JobSubmitRequest }) {
  const [open, setOpen] = useState(false);
  const { t } = useT('jobs');
  const clusters = useQuery(clusterListQuery());
  const address = clusters.data?.find((c) => c.id === clusterId)?.dashboardAddress;
  const command = rayJobSubmitCommand(request, address?.url ?? UNKNOWN_ADDRESS);
  return (
    <>
      <button type="button" className="button" onClick={() => setOpen(true)}>
        {t('cli.open')}
      </button>
      <ConfirmDialog
        open={open}
        title={t('cli.title')}
        confirmLabel={t('cli.close')}
        onConfirm={() => setOpen(false)}
        onCancel={() => setOpen(false)}
      >
        <p>
          <Rich ns="jobs" k="cli.intro" components={{ code: <code /> }} />
        </p>
        {address?.inClusterOnly ? (
          <p className="field-help" data-testid="cli-address-note">
            <Rich ns="jobs" k="cli.inCluster" values={{ url: address.url }} components={{ code: <code /> }} />
          </p>
        ) : null}
        {address === undefined ? (
          <p className="field-help" data-testid="cli-address-note">
            <Rich
              ns="jobs"
              k="cli.unknownAddress"
              values={{ placeholder: UNKNOWN_ADDRESS }}
              components={{ code: <code /> }}
            />
          </p>
        ) : null}
        <pre className="json" data-testid="cli-command">
          {command}
        </pre>
        <CopyButton text={command} label={t('cli.copy')} />
      </ConfirmDialog>
    </>
  );
}
