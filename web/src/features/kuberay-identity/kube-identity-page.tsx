import { useId, useState, type FormEvent } from 'react';
import type { KubeIdentity } from '@ray-console/shared';
import { ErrorPanel, ErrorText } from '../../components/error-panel';
import { formatDateTime, formatRelativeTime } from '../../i18n/format';
import { useT } from '../../i18n/use-t';
import { useDocumentTitle } from '../../lib/document-title';
import { useQuery } from '@tanstack/react-query';
import { kubeIdentityQuery, useForgetKubeToken, useKubeIdentity, usePasteKubeToken } from './api';

/**
 * "Kubernetes identity": who the console acts as on Kubernetes for this person (issue 12), a pasted
 * token's expiry, the form to paste one and the button to forget it; when there is no identity, how to
 * get one. The token is sent once, in the PUT, and never comes back to the browser.
 */
export function KubeIdentityPage() {
  const { t } = useT('kubeIdentity');
  useDocumentTitle([t('title')]);
  const query = useQuery(kubeIdentityQuery());
  const { identity } = useKubeIdentity();
  return (
    <section aria-labelledby="kube-identity-title" className="kube-identity">
      <h1 id="kube-identity-title">{t('title')}</h1>
      <p className="muted">{t('intro')}</p>
      {query.isPending ? (
        <p aria-busy="true">{t('loading')}</p>
      ) : query.isError && !identity ? (
        <ErrorPanel error={query.error} onRetry={() => void query.refetch()} />
      ) : identity ? (
        <IdentityDetails identity={identity} />
      ) : null}
    </section>
  );
}

function IdentityDetails({ identity }: { identity: KubeIdentity }) {
  const { t } = useT('kubeIdentity');
  const forget = useForgetKubeToken();
  if (identity.mode === 'none') {
    if (identity.enable === 'paste_token') return <PasteTokenForm />;
    return (
      <p className="panel" role="status">
        {identity.enable === 'sign_in' ? t('none.signIn') : t('none.configure')}
      </p>
    );
  }
  const groups = identity.groups ?? [];
  return (
    <>
      <dl className="details" aria-label={t('actingAs.label')}>
        <dt>{t('actingAs.user')}</dt>
        <dd>
          <code>{identity.user}</code>
        </dd>
        <dt>{t('actingAs.how')}</dt>
        <dd>{t(`mode.${identity.mode}`)}</dd>
        <dt>{t('actingAs.groups')}</dt>
        <dd>{groups.length > 0 ? groups.map((g) => <code key={g}>{g} </code>) : t('actingAs.noGroups')}</dd>
        {identity.mode === 'token' ? (
          <>
            <dt>{t('actingAs.expires')}</dt>
            <dd>
              {identity.expiresAt
                ? t('actingAs.expiresAt', {
                    at: formatDateTime(identity.expiresAt),
                    relative: formatRelativeTime(Date.parse(identity.expiresAt)),
                  })
                : t('actingAs.noExpiry')}
            </dd>
          </>
        ) : null}
      </dl>
      {identity.mode === 'token' ? (
        <>
          {forget.isError ? (
            <div className="panel panel-error" role="alert">
              <ErrorText error={forget.error} />
            </div>
          ) : null}
          <button type="button" className="button" disabled={forget.isPending} onClick={() => forget.mutate()}>
            {t('forget')}
          </button>
          <details>
            <summary>{t('paste.replace')}</summary>
            <PasteTokenForm />
          </details>
        </>
      ) : null}
    </>
  );
}

function PasteTokenForm() {
  const { t } = useT('kubeIdentity');
  const [token, setToken] = useState('');
  const paste = usePasteKubeToken();
  const fieldId = useId();
  const hintId = useId();
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (token.trim() === '') return;
    // The token leaves the page in this request only; the field is cleared whatever the outcome.
    paste.mutate(token.trim(), { onSettled: () => setToken('') });
  };
  return (
    <form onSubmit={submit} noValidate aria-label={t('paste.label')}>
      {paste.isError ? (
        <div className="panel panel-error" role="alert">
          <ErrorText error={paste.error} />
        </div>
      ) : null}
      <div className="field">
        <label htmlFor={fieldId}>{t('paste.field')}</label>
        <input
          id={fieldId}
          name="kubernetes-token"
          type="password"
          autoComplete="off"
          spellCheck={false}
          value={token}
          onChange={(e) => setToken(e.target.value)}
          aria-describedby={hintId}
          disabled={paste.isPending}
        />
      </div>
      <p className="muted" id={hintId}>
        {t('paste.hint')} <code>kubectl create token &lt;service-account&gt; -n &lt;namespace&gt;</code>
      </p>
      <button type="submit" className="button button-primary" disabled={paste.isPending || token.trim() === ''}>
        {paste.isPending ? t('paste.checking') : t('paste.submit')}
      </button>
    </form>
  );
}
