/**
 * The messages of the catalogs and the keys a source file uses, for catalogs.test.ts. Lingui's
 * extractor works on its macros, which this app does not use (keys are typed instead: catalogs.ts),
 * so this is a small scanner for the conventions the app keeps: literal keys in `t('…')`, resolved in
 * the namespace the file names in `useT('ns')`, `translator(…, 'ns')` or `T<'ns'>`, and
 * `<Rich ns="…" k="…">`. Keys built at run time (`t(\`errors.code.${code}\`)`) are checked by the
 * typecheck alone.
 */

/** Every message of a catalog by dotted key: `{ list: { title: '' } }` has `list.title`. */
export function flatKeys(catalog: unknown, prefix = ''): Map<string, string> {
  const out = new Map<string, string>();
  if (catalog === null || typeof catalog !== 'object') return out;
  for (const [name, value] of Object.entries(catalog)) {
    const key = prefix ? `${prefix}.${name}` : name;
    if (typeof value === 'string') out.set(key, value);
    else for (const [k, v] of flatKeys(value, key)) out.set(k, v);
  }
  return out;
}

export interface UsedKey {
  namespace: string;
  key: string;
}

/** The literal keys a source file uses, each with the namespaces it may be looked up in. */
export function usedKeys(withComments: string): UsedKey[] {
  // Comments hold examples, not uses.
  const source = withComments.replace(/\/\*[\s\S]*?\*\//g, '').replace(/^\s*\/\/.*$/gm, '');
  const declared = new Set<string>();
  for (const pattern of [/useT\(\s*'([^']+)'/g, /translator\([^,()]+,\s*'([^']+)'/g, /\bT<\s*'([^']+)'/g])
    for (const m of source.matchAll(pattern)) declared.add(m[1]!);
  const keys: UsedKey[] = [];
  for (const m of source.matchAll(/\bt\(\s*'([^']+)'/g))
    for (const namespace of declared.size > 0 ? declared : ['common']) keys.push({ namespace, key: m[1]! });
  for (const m of source.matchAll(/<Rich\s+ns="([^"]+)"\s+k="([^"]+)"/g)) keys.push({ namespace: m[1]!, key: m[2]! });
  return keys;
}
