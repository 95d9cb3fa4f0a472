import type { AuthMode } from '@ray-console/shared';

const text: Record<AuthMode, string> = {
  token: 'Token auth',
  disabled: 'No authentication',
  unknown: 'Unreachable',
};

/** Whether the head asks for a token; "No authentication" is a warning: anyone who reaches it can use it. */
export function AuthModeBadge({ mode }: { mode: AuthMode }) {
  return <span className={`badge badge-auth-${mode}`}>{text[mode]}</span>;
}
