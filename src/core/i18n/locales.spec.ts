import { localeFromAcceptLanguage } from './locales';

describe('localeFromAcceptLanguage', () => {
  it.each([
    [undefined, 'en'],
    ['', 'en'],
    ['zh-CN,zh;q=0.9,en;q=0.8', 'zh-Hans'],
    ['zh-Hans-CN', 'zh-Hans'],
    ['en-GB,en;q=0.9,zh-CN;q=0.5', 'en'],
    ['en;q=0.3, zh;q=0.7', 'zh-Hans'],
    ['zh-TW,zh-HK;q=0.9', 'en'],
    ['fr-FR,fr;q=0.9', 'en'],
    ['zh-CN;q=0', 'en'],
  ])('reads %p as %s', (header, expected) => {
    expect(localeFromAcceptLanguage(header, 'en')).toBe(expected);
  });

  it('falls back to the given locale', () => {
    expect(localeFromAcceptLanguage('de', 'zh-Hans')).toBe('zh-Hans');
  });
});
