import { useState } from 'react';
import { useQuery } from '@tanstack/react-query';
import type { JobSubmitRequest } from '@ray-console/shared';
import { CopyButton } from '../../components/copy-button';
import { ConfirmDialog } from '../../components/confirm-dialog';
import { clusterListQuery } from '../clusters/api';
import { rayJobSubmitCommand } from './cli-command';

/** Stands in for the address when the console does not know it (a cluster list not loaded yet, say). */
const UNKNOWN_ADDRESS = 'http://RAY-HEAD:8265';

/** "Copy as CLI": the `ray job submit` line for the same job; it reads the token from the user's own setup. */
export function CopyAsCli({ clusterId, request }: { clusterId: string; request: JobSubmitRequest }) {
  const [open, setOpen] = useState(false);
  const clusters = useQuery(clusterListQuery());
  const address = clusters.data?.find((c) => c.id === clusterId)?.dashboardAddress;
  const command = rayJobSubmitCommand(request, address?.url ?? UNKNOWN_ADDRESS);
  return (
    <>
      <button type="button" className="button" onClick={() => setOpen(true)}>
        Copy as CLI
      </button>
      <ConfirmDialog
        open={open}
        title="Submit from a terminal"
        confirmLabel="Close"
        onConfirm={() => setOpen(false)}
        onCancel={() => setOpen(false)}
      >
        <p>
          The same job with Ray's CLI. It reads the token as <code>ray job submit</code> does: from{' '}
          <code>RAY_AUTH_TOKEN</code>, <code>RAY_AUTH_TOKEN_PATH</code> or <code>~/.ray/auth_token</code>.
        </p>
        {address?.inClusterOnly ? (
          <p className="field-help" data-testid="cli-address-note">
            <code>{address.url}</code> is the head's address inside the Kubernetes cluster: run the command from a pod
            there, or forward the port (<code>kubectl port-forward</code>) and use <code>http://127.0.0.1:8265</code>.
          </p>
        ) : null}
        {address === undefined ? (
          <p className="field-help" data-testid="cli-address-note">
            The console does not know the dashboard address of this cluster: replace <code>{UNKNOWN_ADDRESS}</code>.
          </p>
        ) : null}
        <pre className="json" data-testid="cli-command">
          {command}
        </pre>
        <CopyButton text={command} label="Copy command" />
      </ConfirmDialog>
    </>
  );
}
