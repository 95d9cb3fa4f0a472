import { formatNumber } from '../i18n/format';
import { useT } from '../i18n/use-t';

/** One part of a stacked bar: how many items are in one state. */
export interface StateBarSegment {
  key: string;
  label: string;
  count: number;
  /** A class from styles.css giving the segment its colour (colour is never the only cue: the legend says it). */
  tone: string;
}

/**
 * A progress bar split by state (finished, failed, running, waiting). The bar is decoration; its text
 * alternative and the legend next to it carry the same counts.
 */
export function StateBar({ segments, label }: { segments: readonly StateBarSegment[]; label: string }) {
  const { t } = useT('common');
  const total = segments.reduce((n, s) => n + s.count, 0);
  const present = segments.filter((s) => s.count > 0);
  const words = present
    .map((s) => t('chart.barPart', { count: formatNumber(s.count), label: s.label.toLocaleLowerCase() }))
    .join(t('chart.listSeparator'));
  return (
    <div className="state-bar-wrap">
      <div
        className="state-bar"
        role="img"
        aria-label={total === 0 ? t('chart.barEmpty', { label }) : t('chart.bar', { label, words })}
      >
        {present.map((s) => (
          <span key={s.key} className={`state-bar-part ${s.tone}`} style={{ flexGrow: s.count }} />
        ))}
      </div>
    </div>
  );
}
