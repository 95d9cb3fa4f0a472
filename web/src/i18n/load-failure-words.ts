import type { Language } from './languages';

/**
 * The few words the "could not be loaded" panel needs (script-load-error.tsx), in the first script:
 * when a catalog itself cannot be fetched (a deploy replaced the files while a tab was open), the panel
 * must still speak rather than show message ids. The same text as the catalogs, which
 * load-failure-words.test.ts holds them to; plain text, so it needs no compiling.
 */
export const loadFailureWords: Record<Language, Record<string, string>> = {
  en: {
    'common:scriptLoad.reloading': 'Loading the latest version of the console…',
    'common:scriptLoad.title': 'This page could not be loaded',
    'common:scriptLoad.text':
      'Its script could not be fetched: the console may have been updated, or the network is down.',
    'common:errorPanel.retry': 'Try again',
  },
  'zh-CN': {
    'common:scriptLoad.reloading': '正在加载最新版本的控制台…',
    'common:scriptLoad.title': '无法加载此页面',
    'common:scriptLoad.text': '无法获取页面脚本：控制台可能已更新，或网络已断开。',
    'common:errorPanel.retry': '重试',
  },
};
