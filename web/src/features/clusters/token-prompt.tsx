import { useId, useState, type FormEvent } from 'react';
import type { ClusterSummary } from '@ray-console/shared';
import { CopyButton } from '../../components/copy-button';
import { ErrorText } from '../../components/error-panel';
import { Rich, useT } from '../../i18n/use-t';
import { lazyPart } from '../../lib/lazy-part';
import { useSignIn } from './api';

const signInAsMe = lazyPart(() => import('./sign-in-as-me'));

/**
 * The sign-in prompt, shaped like the Ray dashboard's "Token Authentication Required" dialog so its
 * users recognise it: a masked field with show/hide, submit disabled while empty, Enter submits, a
 * busy state while the head checks the token. It also says where this cluster's token lives.
 */
export function TokenPrompt({ cluster }: { cluster: ClusterSummary }) {
  const [token, setToken] = useState('');
  const [visible, setVisible] = useState(false);
  const signIn = useSignIn(cluster.id);
  const { t } = useT('clusters');
  const fieldId = useId();
  const hintId = useId();
  const disabledAuth = cluster.authMode === 'disabled';
  // "Sign in as me" only where discovery found the token in a Secret (its own chunk).
  const fromSecret = !disabledAuth && cluster.kubernetes?.auth.secret !== undefined;
  const asMe = signInAsMe.usePart(fromSecret);
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
      ? 'prompt.k8sExpired'
      : 'prompt.k8sIntro'
    : rejectedBefore
      ? 'prompt.rejected'
      : 'prompt.intro';
  const intro = t(
    cluster.signOutReason === 'endpoint_changed'
      ? 'prompt.endpointChanged'
      : cluster.signOutReason === 'endpoint_unbound'
        ? 'prompt.endpointUnbound'
        : defaultIntro,
    { name: cluster.displayName },
  );
  return (
    <section className="prompt" aria-labelledby={`${fieldId}-title`}>
      <h1 id={`${fieldId}-title`}>{disabledAuth ? t('prompt.titleDisabled') : t('prompt.titleToken')}</h1>
      {disabledAuth ? (
        <p className="panel panel-warning">
          <Rich
            ns="clusters"
            k="prompt.disabled"
            values={{ name: cluster.displayName }}
            components={{ strong: <strong /> }}
          />
        </p>
      ) : (
        <p>{intro}</p>
      )}
      {signIn.isError ? (
        <div className="panel panel-error" role="alert">
          <ErrorText error={signIn.error} />
        </div>
      ) : null}
      {asMe && fromSecret ? <asMe.SignInAsMe clusterId={cluster.id} /> : null}
      <form onSubmit={submit} noValidate>
        {disabledAuth ? null : (
          <div className="field">
            <label htmlFor={fieldId}>{kubernetesToken ? t('prompt.fieldK8s') : t('prompt.fieldToken')}</label>
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
                aria-label={visible ? t('prompt.hideToken') : t('prompt.showToken')}
                aria-pressed={visible}
                onClick={() => setVisible((v) => !v)}
              >
                {visible ? t('prompt.hide') : t('prompt.show')}
              </button>
            </div>
          </div>
        )}
        <button
          type="submit"
          className="button button-primary"
          disabled={signIn.isPending || (!disabledAuth && token.trim() === '')}
        >
          {signIn.isPending ? t('prompt.validating') : disabledAuth ? t('prompt.continue') : t('prompt.signIn')}
        </button>
      </form>
      {cluster.tokenHint && !disabledAuth ? (
        <aside className="panel hint" id={hintId} aria-label={t('prompt.whereToken')}>
          <p>{cluster.tokenHint.text}</p>
          {cluster.tokenHint.command ? (
            <div className="command">
              <code>{cluster.tokenHint.command}</code>
              <CopyButton text={cluster.tokenHint.command} label={t('prompt.copyCommand')} />
            </div>
          ) : null}
        </aside>
      ) : null}
    </section>
  );
}
