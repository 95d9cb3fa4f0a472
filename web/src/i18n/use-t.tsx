import type { ReactElement, ReactNode } from 'react';
import { Trans, useLingui } from '@lingui/react';
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
 * become the elements given for them, so translators can move them within the sentence.
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
  return <Trans id={`${ns}:${k}`} {...(values ? { values } : {})} components={components} />;
}
