import type { T } from '../../i18n/catalogs';
import { formatBytes, formatNumber } from '../../i18n/format';

export { formatBytes };

/** Ray reports memory resources in bytes; everything else is a count. */
const BYTE_RESOURCES = new Set(['memory', 'object_store_memory']);

export const isByteResource = (name: string) => BYTE_RESOURCES.has(name);

/** An amount of a resource in the language shown: bytes in binary units, counts with up to 2 decimals. */
export function formatAmount(name: string, amount: number): string {
  if (isByteResource(name)) return formatBytes(amount);
  return formatNumber(amount, { maximumFractionDigits: 2 });
}

/** The well-known resources first, in the order `ray status` shows them, then custom ones by name. */
export function orderResources(names: readonly string[]): string[] {
  const first = ['CPU', 'GPU', 'memory', 'object_store_memory'];
  // `node:<ip>` and `node:__internal_head__` are placement markers, not capacity; they go last.
  const isMarker = (n: string) => n.startsWith('node:') || n.startsWith('accelerator_type:');
  return [
    ...first.filter((n) => names.includes(n)),
    ...names.filter((n) => !first.includes(n) && !isMarker(n)).sort(),
    ...names.filter(isMarker).sort(),
  ];
}

/** Ray's resource names as people say them; custom resources keep their own names. */
export const resourceLabel = (name: string, t: T<'resources'>) =>
  isByteResource(name) ? t(`overview.names.${name as 'memory' | 'object_store_memory'}`) : name;
