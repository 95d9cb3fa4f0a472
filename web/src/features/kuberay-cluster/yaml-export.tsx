import { useState } from 'react';
import { ErrorText } from '../../components/error-panel';
import { Rich, useT } from '../../i18n/use-t';
import { fetchRayClusterYaml } from './api';
import { rayClusterApiPath } from './paths';

/**
 * "Export as YAML": a download (a plain link: the browser saves what the BFF names `<name>.yaml`) and a
 * copy, both of the manifest `kubectl apply -f` takes, so the console teaches the manifests.
 */
export function YamlExport({ namespace, name }: { namespace: string; name: string }) {
  const { t } = useT('kuberayCluster');
  const [copied, setCopied] = useState(false);
  const [failure, setFailure] = useState<unknown>();
  const copy = async () => {
    setFailure(undefined);
    try {
      const yaml = await fetchRayClusterYaml(namespace, name);
      await navigator.clipboard.writeText(yaml);
      setCopied(true);
    } catch (err) {
      setFailure(err);
    }
  };
  return (
    <section aria-labelledby="raycluster-yaml-title">
      <h2 id="raycluster-yaml-title">{t('yaml.title')}</h2>
      <p className="muted">
        <Rich ns="kuberayCluster" k="yaml.intro" components={{ code: <code /> }} />
      </p>
      <div className="toolbar">
        <a className="button" href={`${rayClusterApiPath(namespace, name)}/yaml`} download={`${name}.yaml`}>
          {t('yaml.download')}
        </a>
        <button type="button" className="button" onClick={() => void copy()}>
          {copied ? t('yaml.copied') : t('yaml.copy')}
        </button>
      </div>
      {failure ? (
        <p className="field-error" role="alert">
          <ErrorText error={failure} />
        </p>
      ) : null}
    </section>
  );
}
