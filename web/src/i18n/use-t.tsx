import { cloneElement, type ReactElement, type ReactNode } from 'react';
import { useLingui } from '@lingui/react';
import type { I18n } from '@lingui/core';
import type { Key, Namespace, T, Values } from './catalogs';

/** A translator for one namespace from an i18n instance (for code outside components, and tests). */
export function translator<N extends Namespace>(i18n: I18n, namespace: N): T<N> {
  return (key, values) => i18n._(`${namespace}:${key}`, values);
}

/**
 * The way a component gets its words: `const { t } = useT('jobs')`, then `t('list.title')` or
 * `t('bulk.stopTitle', { count })`. The component re-renders when the language changes.
 */
export function useT<N extends Namespace>(namespace: N): { t: T<N>; language: string } {
  const { i18n } = useLingui();
  return { t: translator(i18n, namespace), language: i18n.locale };
}

/**
 * A message with markup: tags in the message (`Token authentication is <strong>disabled</strong>`)
 * become the elements given for them, so translators can move them within the sentence. Text values
 * go in as elements, so a value that looks like a tag (a cluster id from the URL) stays text.
 * The same syntax as Lingui's `<Trans>`, drawn here rather than by it: its other props (render,
 * component) are not used, and without it the first script is 0.9 KB (gzip) smaller.
 */
export function Rich<N extends Namespace>({
  ns,
  k,
  values,
  components,
}: {
  ns: N;
  k: Key<N>;
  values?: Values;
  components: Record<string, ReactElement>;
}): ReactNode {
  const { i18n } = useLingui();
  const elements = { ...components };
  const placeholders: Values = {};
  for (const [name, value] of Object.entries(values ?? {})) {
    if (typeof value !== 'string') {
      placeholders[name] = value;
      continue;
    }
    // Numbered like Lingui's own placeholders (`<0/>`), after the named elements.
    const index = String(Object.keys(elements).length);
    elements[index] = <>{value}</>;
    placeholders[name] = `<${index}/>`;
  }
  return <>{withElements(i18n._(`${ns}:${k}`, placeholders), elements)}</>;
}

/** `<name>children</name>` or `<name/>`, as Lingui writes elements in a message. */
const tag = /<([a-zA-Z0-9]+)>([\s\S]*?)<\/\1>|<([a-zA-Z0-9]+)\/>/;

/**
 * A message's text with its tags replaced by the elements of the same name, children formatted in
 * turn. A tag with no element keeps its children as text (Lingui does the same, and logs it).
 */
function withElements(message: string, elements: Record<string, ReactElement>): ReactNode[] {
  // split() with the pattern's groups gives: text, then per tag [paired name, children, unpaired name, text].
  const parts = message.split(tag);
  const out: ReactNode[] = [parts[0]];
  for (let i = 1; i < parts.length; i += 4) {
    const [paired, children, unpaired, after] = parts.slice(i, i + 4);
    const element = elements[paired ?? unpaired ?? ''] ?? <></>;
    const inner = children ? withElements(children, elements) : (element.props as { children?: ReactNode }).children;
    out.push(cloneElement(element, { key: i }, inner), after);
  }
  return out;
}
