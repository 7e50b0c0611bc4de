import { LOCALES } from '../i18n/locales';
import { CatalogMessages } from './catalog-messages';
import { loadCatalogs } from './template-renderer';

/** Every key of a catalog, nested keys joined by "." as i18next reads them. */
function keysOf(tree: object, prefix = ''): string[] {
  return Object.entries(tree).flatMap(([k, v]) =>
    v !== null && typeof v === 'object' ? keysOf(v as object, `${prefix}${k}.`) : [`${prefix}${k}`],
  );
}

describe('CatalogMessages: plain catalog messages written out as i18next writes them', () => {
  const catalogs = loadCatalogs();
  const messages = new CatalogMessages(catalogs);
  const keys = [...new Set(LOCALES.flatMap((l) => keysOf(catalogs.getResourceBundle(l, 'translation') as object)))];
  const namesIn = (key: string): string[] => {
    const raw = catalogs.getResource('en', 'translation', key) as unknown;
    return typeof raw === 'string' ? [...raw.matchAll(/\{\{\s*([^{},\s]+)\s*\}\}/g)].map((m) => m[1]) : [];
  };

  it('answers exactly what i18next answers, for every key of every catalog, with string, number and tricky values', () => {
    let written = 0;
    for (const locale of LOCALES) {
      for (const key of keys) {
        const names = namesIn(key);
        for (const sample of ['Jane <jane@example.org> & {{other}}', 42, true, '']) {
          const values = Object.fromEntries(names.map((n) => [n, sample]));
          const ours = messages.format(key, locale, values);
          if (ours === undefined) continue;
          written++;
          expect([key, locale, ours]).toEqual([key, locale, catalogs.t(key, { ...values, lng: locale })]);
        }
      }
    }
    // Most messages are plain: the fast path is taken, not skipped.
    expect(written).toBeGreaterThan(keys.length * LOCALES.length);
  });

  it('leaves to i18next a plural, a context, a missing or non-plain value and a key no catalog has', () => {
    const withName = keys.find((k) => namesIn(k).length > 0)!;
    const [name] = namesIn(withName);
    expect(messages.format(withName, 'en', {})).toBeUndefined();
    expect(messages.format(withName, 'en', { [name]: { nested: 1 } })).toBeUndefined();
    expect(messages.format(withName, 'en', { [name]: null })).toBeUndefined();
    expect(messages.format(withName, 'en', { [name]: 'x', count: 2 })).toBeUndefined();
    expect(messages.format(withName, 'en', { [name]: 'x', context: 'male' })).toBeUndefined();
    expect(messages.format('no.such.key', 'en', {})).toBeUndefined();
  });

  it('falls back to English for a key the locale lacks, as i18next does', () => {
    const enOnly = keys.find(
      (k) =>
        catalogs.getResource('zh-Hans', 'translation', k) === undefined &&
        typeof catalogs.getResource('en', 'translation', k) === 'string' &&
        namesIn(k).length === 0,
    );
    if (enOnly === undefined) return; // every key is translated: nothing to fall back on
    expect(messages.format(enOnly, 'zh-Hans', {})).toBe(catalogs.t(enOnly, { lng: 'zh-Hans' }));
  });
});
