/** The languages letters and pages are written in: message catalogs locales/<locale>.json. */
export const LOCALES = ['en', 'zh-Hans'] as const;
export type Locale = (typeof LOCALES)[number];

export function isLocale(value: unknown): value is Locale {
  return typeof value === 'string' && (LOCALES as readonly string[]).includes(value);
}

/**
 * The first supported language of an Accept-Language header, by its q-values (zh, zh-CN, zh-SG and zh-Hans read as
 * Simplified Chinese; zh-TW and zh-HK, written in traditional characters, are not offered it), else `fallback`.
 */
export function localeFromAcceptLanguage(header: string | undefined, fallback: Locale): Locale {
  if (!header) return fallback;
  const ranked = header
    .split(',')
    .map((part, index) => {
      const [tag, ...params] = part.trim().split(';');
      const q = params.map((p) => /^\s*q=([0-9.]+)\s*$/.exec(p)?.[1]).find((v) => v !== undefined);
      return { tag: tag.trim().toLowerCase(), q: q === undefined ? 1 : Number(q), index };
    })
    .filter((r) => r.tag && r.q > 0)
    .sort((a, b) => b.q - a.q || a.index - b.index);
  for (const { tag } of ranked) {
    if (tag === 'en' || tag.startsWith('en-')) return 'en';
    if (/^zh(-(hans|cn|sg|my)(-.*)?)?$/.test(tag) || tag.startsWith('zh-hans')) return 'zh-Hans';
  }
  return fallback;
}

/** The page's language: a supported `?lang=` the reader chose, else `fallback`. */
export function chosenLocale(query: unknown, fallback: Locale): Locale {
  return isLocale(query) ? query : fallback;
}

/** The links of a page's language switch: the same page and query (`url`: path and query), `lang=` each language. */
export function languageSwitch(url: string, current: Locale): { locale: Locale; href: string; current: boolean }[] {
  return LOCALES.map((locale) => {
    const target = new URL(url, 'http://page.invalid');
    target.searchParams.set('lang', locale);
    return { locale, href: `${target.pathname}${target.search}`, current: locale === current };
  });
}
