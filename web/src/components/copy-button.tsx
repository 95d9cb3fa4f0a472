import { useState } from 'react';
import { useT } from '../i18n/use-t';

/** Copies a command to the clipboard and says so. */
export function CopyButton({ text, label }: { text: string; label?: string }) {
  const { t } = useT('common');
  const [copied, setCopied] = useState(false);
  return (
    <button
      type="button"
      className="button button-small"
      onClick={() => {
        void navigator.clipboard?.writeText(text).then(() => setCopied(true));
      }}
    >
      {copied ? t('copy.copied') : (label ?? t('copy.copy'))}
    </button>
  );
}
