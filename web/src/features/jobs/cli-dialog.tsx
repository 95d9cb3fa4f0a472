import { useState } from 'react';
import type { JobSubmitRequest } from '@ray-console/shared';
import { CopyButton } from '../../components/copy-button';
import { ConfirmDialog } from '../../components/confirm-dialog';
import { rayJobSubmitCommand } from './cli-command';

/** "Copy as CLI": the `ray job submit` line for the same job; it reads the token from the user's own setup. */
export function CopyAsCli({ request, dashboardAddress }: { request: JobSubmitRequest; dashboardAddress: string }) {
  const [open, setOpen] = useState(false);
  const command = rayJobSubmitCommand(request, dashboardAddress);
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
        <pre className="json" data-testid="cli-command">
          {command}
        </pre>
        <CopyButton text={command} label="Copy command" />
      </ConfirmDialog>
    </>
  );
}
