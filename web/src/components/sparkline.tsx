import { useT } from '../i18n/use-t';
import { sparklinePath, sparklineSummary } from './sparkline-path';

/**
 * A small hand-drawn line chart of recent samples (no charting library for a line). Screen readers get
 * the lowest, highest and latest value in words instead of the drawing.
 */
export function Sparkline({
  values,
  max,
  label,
  format,
  width = 120,
  height = 28,
}: {
  values: readonly (number | null)[];
  max: number;
  /** What is charted, e.g. "CPU of node 10.0.0.5 over the last hour". */
  label: string;
  format: (v: number) => string;
  width?: number;
  height?: number;
}) {
  const { t } = useT('common');
  const summary = sparklineSummary(values);
  const text = summary
    ? t('chart.summary', { label, now: format(summary.last), min: format(summary.min), max: format(summary.max) })
    : t('chart.empty', { label });
  return (
    <svg
      className="sparkline"
      role="img"
      aria-label={text}
      width={width}
      height={height}
      viewBox={`0 0 ${width} ${height}`}
      preserveAspectRatio="none"
    >
      <title>{text}</title>
      <path d={sparklinePath(values, { width, height: height - 2, max })} transform="translate(0 1)" />
    </svg>
  );
}
