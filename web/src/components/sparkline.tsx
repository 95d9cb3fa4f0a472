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
  const summary = sparklineSummary(values);
  const text = summary
    ? `${label}: now ${format(summary.last)}, lowest ${format(summary.min)}, highest ${format(summary.max)}`
    : `${label}: no samples yet`;
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
