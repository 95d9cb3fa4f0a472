import type { NodeUsageSample } from '@ray-console/shared';

/**
 * A node's samples laid out on the chart's time axis: one slot per sampling interval over the window,
 * the latest sample in each slot, and `null` where the console took none (nobody had the page open, the
 * node was down), so a gap shows as a gap and not as a straight line across it.
 */
export function binSamples(
  history: readonly NodeUsageSample[],
  pick: (s: NodeUsageSample) => number | undefined,
  { now, windowMs, intervalMs }: { now: number; windowMs: number; intervalMs: number },
): (number | null)[] {
  const slots = Math.max(1, Math.round(windowMs / intervalMs));
  const start = now - slots * intervalMs;
  const out: (number | null)[] = Array.from({ length: slots }, () => null);
  for (const s of history) {
    const value = pick(s);
    if (value === undefined || s.t <= start || s.t > now) continue;
    const slot = Math.min(slots - 1, Math.floor((s.t - start - 1) / intervalMs));
    out[slot] = value;
  }
  return out;
}

/** `used` of `total` as a share 0..1; undefined when the total is unknown or zero. */
export const share = (u: { used: number; total: number } | undefined): number | undefined =>
  u && u.total > 0 ? u.used / u.total : undefined;
