import type { i18n } from 'i18next';
import type { Locale } from '../i18n/locales';

/** A catalog message cut at its placeholders: texts[0], names[0], texts[1], ..., texts[names.length]. */
interface Cut {
  texts: string[];
  names: string[];
}

const PLACEHOLDER = /\{\{([^{}]*)\}\}/g;
const PLAIN_NAME = /^[A-Za-z_$][\w$]*$/;

/**
 * The catalog messages a letter asks for most, written out without i18next: a message that is a plain string with
 * `{{name}}` placeholders, given a string, number or boolean for each, is its texts and values joined, as i18next
 * (escapeValue off) would write it. `format` answers undefined for anything else (a plural asked for by `count`, a
 * `context`, a missing or non-plain value, a nested `$t(...)`, a formatted `{{value, format}}`, a key no catalog has),
 * and the caller asks i18next. Each message is cut once, when first asked for; the catalogs never change once loaded.
 *
 * A letter asks for some forty messages, and i18next's `t` resolves, interpolates and post-processes each one anew:
 * most of the time of rendering an uploader's letter went there.
 */
export class CatalogMessages {
  private readonly cuts = new Map<string, Cut | null>();

  constructor(private readonly catalogs: i18n) {}

  format(key: string, locale: Locale, values: Readonly<Record<string, unknown>>): string | undefined {
    if (values.count !== undefined || values.context !== undefined) return undefined;
    const id = `${locale}\u0000${key}`;
    let cut = this.cuts.get(id);
    if (cut === undefined) {
      cut = this.cut(key, locale);
      this.cuts.set(id, cut);
    }
    if (cut === null) return undefined;
    let out = cut.texts[0];
    for (let i = 0; i < cut.names.length; i++) {
      const value = values[cut.names[i]];
      if (typeof value !== 'string' && typeof value !== 'number' && typeof value !== 'boolean') return undefined;
      out += String(value) + cut.texts[i + 1];
    }
    return out;
  }

  /** The message in `locale`, else in English (the fallback), cut at its placeholders; null when i18next must read it. */
  private cut(key: string, locale: Locale): Cut | null {
    const message = this.message(key, locale) ?? (locale === 'en' ? undefined : this.message(key, 'en'));
    if (typeof message !== 'string' || message.includes('$t(')) return null;
    const texts: string[] = [];
    const names: string[] = [];
    let at = 0;
    for (const match of message.matchAll(PLACEHOLDER)) {
      const name = match[1].trim();
      if (!PLAIN_NAME.test(name)) return null;
      texts.push(message.slice(at, match.index));
      names.push(name);
      at = match.index + match[0].length;
    }
    texts.push(message.slice(at));
    return { texts, names };
  }

  private message(key: string, locale: Locale): unknown {
    return this.catalogs.getResource(locale, 'translation', key);
  }
}
