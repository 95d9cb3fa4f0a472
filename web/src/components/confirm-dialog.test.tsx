import { describe, expect, it } from 'vitest';
import { render, screen } from '@testing-library/react';
import { InEnglish } from '../test/i18n';
import { ConfirmDialog } from './confirm-dialog';

describe('a confirmation dialog', () => {
  it('is named by its own title when the page holds several (a job’s Copy as CLI and Stop)', () => {
    const noop = () => undefined;
    render(
      <>
        <ConfirmDialog
          open={false}
          title="Submit from a terminal"
          confirmLabel="Close"
          onConfirm={noop}
          onCancel={noop}
        >
          <p>The command</p>
        </ConfirmDialog>
        <ConfirmDialog open title="Stop raysubmit_1?" confirmLabel="Stop job" danger onConfirm={noop} onCancel={noop}>
          <p>Ray sends the job SIGTERM, then SIGKILL.</p>
        </ConfirmDialog>
      </>,
      { wrapper: InEnglish },
    );
    const dialog = screen.getByRole('dialog', { name: 'Stop raysubmit_1?' });
    expect(dialog.textContent).toContain('SIGTERM');
  });
});
