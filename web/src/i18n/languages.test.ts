import { describe, expect, it } from 'vitest';
import { pickLanguage } from './languages';

describe('the language the console speaks', () => {
  it('follows the browser: every Simplified Chinese tag is zh-CN, anything else English', () => {
    for (const tag of ['zh', 'zh-CN', 'zh-Hans', 'zh-Hans-CN', 'zh-SG', 'ZH_cn'])
      expect(pickLanguage([tag]), tag).toBe('zh-CN');
    for (const tag of ['en', 'en-US', 'en-GB', 'fr-FR', 'de']) expect(pickLanguage([tag]), tag).toBe('en');
    expect(pickLanguage([])).toBe('en');
  });

  it('takes the first preferred language it speaks', () => {
    expect(pickLanguage(['fr-FR', 'zh-CN', 'en'])).toBe('zh-CN');
    expect(pickLanguage(['en-US', 'zh-CN'])).toBe('en');
    // A Traditional Chinese reader gets their next choice, not Simplified Chinese.
    expect(pickLanguage(['zh-TW', 'en'])).toBe('en');
    expect(pickLanguage(['zh-Hant-HK', 'zh-Hans'])).toBe('zh-CN');
  });

  it('puts the switcher’s remembered choice first, and ignores a value it does not know', () => {
    expect(pickLanguage(['en-US'], 'zh-CN')).toBe('zh-CN');
    expect(pickLanguage(['zh-CN'], 'en')).toBe('en');
    expect(pickLanguage(['zh-CN'], 'klingon')).toBe('zh-CN');
  });
});
