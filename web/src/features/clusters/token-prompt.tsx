import { useId, useState, type FormEvent } from 'react';
import type { ClusterSummary } from '@ray-console/shared';
import { CopyButton } from '../../components/copy-button';
import { useSignIn } from './api';

/**
 * The sign-in prompt, shaped like the Ray dashboard's "Token Authentication Required" dialog so its
 * users recognise it: a masked field with show/hide, submit disabled while empty, Enter submits, a
 * busy state while the head checks the token. It also says where this cluster's token lives.
 */
export function TokenPrompt({ cluster }: { cluster: ClusterSummary }) {
  const [token, setToken] = useState('');
  const [visible, setVisible] = useState(false);
  const signIn = useSignIn(cluster.id);
  const fieldId = useId();
  const hintId = useId();
  const disabledAuth = cluster.authMode === 'disabled';
  // KubeRay enableK8sTokenAuth: Ray checks the caller's Kubernetes token, which expires.
  const kubernetesToken =
    cluster.kubernetes?.auth.mode === 'kubernetes-token' || cluster.tokenHint?.kind === 'kubernetes-token';

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!disabledAuth && token.trim() === '') return;
    // The token leaves the page in this request only; the field is cleared whatever the outcome.
    signIn.mutate(disabledAuth ? '' : token.trim(), { onSettled: () => setToken('') });
  };

  const rejectedBefore = cluster.signOutReason === 'token_rejected';
  // Ray may answer an expired Kubernetes token either way (401 or 403); both sign the cluster out.
  const expired = rejectedBefore || cluster.signOutReason === 'token_missing';
  const defaultIntro = kubernetesToken
    ? expired
      ? `Your Kubernetes token for ${cluster.displayName} has expired (or was revoked), so the console signed you out of it. Create a new token and sign in again.`
      : `${cluster.displayName} accepts Kubernetes tokens instead of a Ray token. Enter a Kubernetes token (it expires; when it does, the console asks for a new one).`
    : rejectedBefore
      ? `${cluster.displayName} rejected the token this session held; it may have changed. Enter the current token.`
      : `Token authentication is enabled on ${cluster.displayName}. Enter its token to continue.`;
  const intro =
    cluster.signOutReason === 'endpoint_changed'
      ? `This cluster's address changed; sign in again. The console signed you out of ${cluster.displayName} and did not send your token to the new address.`
      : cluster.signOutReason === 'endpoint_unbound'
        ? `The console now ties each token to the address it was checked at, and your session's token for ${cluster.displayName} was stored before that; sign in again.`
        : defaultIntro;
  return (
    <section className="prompt" aria-labelledby={`${fieldId}-title`}>
      <h1 id={`${fieldId}-title`}>{disabledAuth ? 'Authentication disabled' : 'Token Authentication Required'}</h1>
      {disabledAuth ? (
        <p className="panel panel-warning">
          Token authentication is <strong>disabled</strong> on {cluster.displayName}: anyone who can reach its dashboard
          can submit and stop jobs. Continue without a token.
        </p>
      ) : (
        <p>{intro}</p>
      )}
      {signIn.isError ? (
        <div className="panel panel-error" role="alert">
          {signIn.error.message}
        </div>
      ) : null}
      <form onSubmit={submit} noValidate>
        {disabledAuth ? null : (
          <div className="field">
            <label htmlFor={fieldId}>{kubernetesToken ? 'Kubernetes Token' : 'Authentication Token'}</label>
            <div className="input-row">
              <input
                id={fieldId}
                name="token"
                type={visible ? 'text' : 'password'}
                autoComplete="off"
                spellCheck={false}
                value={token}
                onChange={(e) => setToken(e.target.value)}
                aria-describedby={cluster.tokenHint ? hintId : undefined}
                disabled={signIn.isPending}
              />
              <button
                type="button"
                className="button button-quiet"
                aria-label={visible ? 'Hide token' : 'Show token'}
                aria-pressed={visible}
                onClick={() => setVisible((v) => !v)}
              >
                {visible ? 'Hide' : 'Show'}
              </button>
            </div>
          </div>
        )}
        <button
          type="submit"
          className="button button-primary"
          disabled={signIn.isPending || (!disabledAuth && token.trim() === '')}
        >
          {signIn.isPending ? 'Validating…' : disabledAuth ? 'Continue without a token' : 'Sign in'}
        </button>
      </form>
      {cluster.tokenHint && !disabledAuth ? (
        <aside className="panel hint" id={hintId} aria-label="Where the token is">
          <p>{cluster.tokenHint.text}</p>
          {cluster.tokenHint.command ? (
            <div className="command">
              <code>{cluster.tokenHint.command}</code>
              <CopyButton text={cluster.tokenHint.command} label="Copy command" />
            </div>
          ) : null}
        </aside>
      ) : null}
    </section>
  );
}
