/** Ray reports memory resources in bytes; everything else is a count. */
const BYTE_RESOURCES = new Set(['memory', 'object_store_memory']);

export const isByteResource = (name: string) => BYTE_RESOURCES.has(name);

export function formatBytes(bytes: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return `${value >= 100 || unit === 0 ? Math.round(value) : value.toFixed(1)} ${units[unit]}`;
}

export function formatAmount(name: string, amount: number): string {
  if (isByteResource(name)) return formatBytes(amount);
  return Number.isInteger(amount) ? String(amount) : amount.toFixed(2).replace(/\.?0+$/, '');
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

export const resourceLabel = (name: string) =>
  ({ CPU: 'CPU', GPU: 'GPU', memory: 'Memory', object_store_memory: 'Object store memory' })[name] ?? name;
