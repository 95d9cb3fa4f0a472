import { Link } from 'react-router';
import { formatNumber } from '../i18n/format';

/**
 * The sections of a page as links that put the section in the URL (`?tab=failures`), so every section has
 * a deep link, Back works, and a test can open one directly. Links, not an ARIA tablist: each is a place.
 */
export function SectionTabs<K extends string>({
  label,
  tabs,
  current,
}: {
  label: string;
  tabs: readonly { key: K; label: string; count?: number | undefined }[];
  current: K;
}) {
  return (
    <nav className="tabs section-tabs" aria-label={label}>
      {tabs.map((t) => (
        <Link
          key={t.key}
          to={{ search: `?tab=${t.key}` }}
          className={t.key === current ? 'active' : undefined}
          aria-current={t.key === current ? 'page' : undefined}
        >
          {t.label}
          {t.count !== undefined && t.count > 0 ? <span className="tab-count"> {formatNumber(t.count)}</span> : null}
        </Link>
      ))}
    </nav>
  );
}

/** The section a URL names, or the first one when it names none (or one that does not exist). */
export function tabFromSearch<K extends string>(value: string | null, keys: readonly K[]): K {
  return keys.find((k) => k === value) ?? keys[0]!;
}
