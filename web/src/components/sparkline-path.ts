/**
 * The SVG path of a small line chart: samples left to right across `width`, `0..max` bottom to top
 * across `height`. A missing sample (the console was not sampling, the node was down) breaks the line
 * instead of drawing a fall to zero that never happened.
 */
export function sparklinePath(
  values: readonly (number | null)[],
  { width, height, max }: { width: number; height: number; max: number },
): string {
  if (values.length === 0 || max <= 0) return '';
  const step = values.length > 1 ? width / (values.length - 1) : 0;
  const y = (v: number) => {
    const clamped = Math.min(Math.max(v, 0), max);
    return round(height - (clamped / max) * height);
  };
  let path = '';
  let drawing = false;
  values.forEach((v, i) => {
    if (v === null || !Number.isFinite(v)) {
      drawing = false;
      return;
    }
    path += `${drawing ? 'L' : 'M'}${round(i * step)} ${y(v)} `;
    drawing = true;
  });
  return path.trim();
}

const round = (n: number) => Math.round(n * 10) / 10;

/** The lowest, highest and latest of the samples that exist, for the chart's text alternative. */
export function sparklineSummary(
  values: readonly (number | null)[],
): { min: number; max: number; last: number } | null {
  const present = values.filter((v): v is number => v !== null && Number.isFinite(v));
  if (present.length === 0) return null;
  return { min: Math.min(...present), max: Math.max(...present), last: present[present.length - 1]! };
}
