import { Injectable } from '@nestjs/common';
import Handlebars from 'handlebars';
import i18next, { type i18n } from 'i18next';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { isLocale, type Locale, LOCALES } from '../i18n/locales';
import { projectRoot } from '../paths';
import { CatalogMessages } from './catalog-messages';

type Compiled = Handlebars.TemplateDelegate;

/** How many of the `t` helper's messages are remembered (see translated). */
const MAX_REMEMBERED_TRANSLATIONS = 10_000;

/** The message catalogs, locales/<locale>.json, read once: English is the fallback for a key a catalog lacks. */
export function loadCatalogs(): i18n {
  const dir = path.join(projectRoot(), 'locales');
  const resources = Object.fromEntries(
    LOCALES.map((l) => [l, { translation: JSON.parse(readFileSync(path.join(dir, `${l}.json`), 'utf8')) as object }]),
  );
  const instance = i18next.createInstance();
  void instance.init({
    resources,
    lng: 'en',
    fallbackLng: 'en',
    supportedLngs: [...LOCALES],
    initAsync: false,
    returnNull: false,
    // Values are escaped by the helper, for HTML only (Handlebars' escaping), not by i18next.
    interpolation: { escapeValue: false },
  });
  return instance;
}

/**
 * Renders templates/ with Handlebars: pages/<name>.hbs for HTML pages, mail/<letter>.{subject,text,html}.hbs for
 * letters, partials/*.hbs shared by both. HTML is escaped by Handlebars; text parts are compiled without escaping.
 * Wording comes from the message catalogs through `{{t "key" name=value}}`, in the context's `locale` (en without
 * one); `count=` picks the plural form.
 */
@Injectable()
export class TemplateRenderer {
  private readonly html = Handlebars.create();
  private readonly text = Handlebars.create();
  private readonly cache = new Map<string, Compiled>();
  private readonly dir = path.join(projectRoot(), 'templates');
  private readonly i18n = loadCatalogs();
  private readonly translations = new Map<string, string>();
  private readonly messages = new CatalogMessages(this.i18n);

  constructor() {
    for (const hb of [this.html, this.text]) {
      const html = hb === this.html;
      hb.registerHelper('t', (key: unknown, options: Handlebars.HelperOptions) => {
        const root = (options.data as { root?: { locale?: unknown } } | undefined)?.root;
        const hash = options.hash as Record<string, unknown>;
        const values: Record<string, unknown> = {};
        for (const name in hash) {
          const v = hash[name];
          values[name] =
            v instanceof Handlebars.SafeString
              ? v.toString()
              : html && typeof v === 'string'
                ? Handlebars.escapeExpression(v)
                : v;
        }
        const translated = this.translated(String(key), localeOf(root?.locale), values);
        return html ? new Handlebars.SafeString(translated) : translated;
      });
      hb.registerHelper('strong', (value: unknown) =>
        html ? new Handlebars.SafeString(`<strong>${Handlebars.escapeExpression(value as string)}</strong>`) : value,
      );
      hb.registerHelper('anchor', (href: unknown, label: unknown) =>
        html
          ? new Handlebars.SafeString(
              `<a href="${Handlebars.escapeExpression(href as string)}">${Handlebars.escapeExpression(label as string)}</a>`,
            )
          : label,
      );
      // The required-field mark, for a message that names it.
      hb.registerHelper('req', () => (html ? new Handlebars.SafeString('<span class="req">*</span>') : '*'));
      hb.registerHelper('concat', (...parts: unknown[]) => parts.slice(0, -1).map(String).join(''));
      hb.registerHelper('eq', (a: unknown, b: unknown) => a === b);
      hb.registerHelper('join', (list: unknown, sep: unknown) => (Array.isArray(list) ? list.join(String(sep)) : ''));
      hb.registerHelper('inc', (n: unknown) => Number(n) + 1);
      hb.registerHelper('date', (d: unknown) =>
        d instanceof Date || typeof d === 'string'
          ? new Date(d).toISOString().replace('T', ' ').slice(0, 16) + ' UTC'
          : '',
      );
    }
    const partials = path.join(this.dir, 'partials');
    if (existsSync(partials)) {
      for (const file of readdirSync(partials).filter((f) => f.endsWith('.hbs'))) {
        const source = readFileSync(path.join(partials, file), 'utf8');
        const name = file.replace(/\.hbs$/, '');
        (file.includes('.text.') ? this.text : this.html).registerPartial(name.replace(/\.text$/, ''), source);
      }
    }
  }

  /**
   * A catalog message for the `t` helper: a plain message with plain values is written out by CatalogMessages;
   * anything else goes to i18next. The catalogs never change once loaded, so a message asked for again with
   * the same plain values is the same text: i18next's answer is looked up once. Values
   * that are not strings, numbers or booleans are not remembered by, and a message with them is translated anew.
   */
  private translated(key: string, locale: Locale, values: Record<string, unknown>): string {
    const plain = this.messages.format(key, locale, values);
    if (plain !== undefined) return plain;
    let memoKey: string | undefined = `${locale}\u0000${key}`;
    for (const [name, value] of Object.entries(values)) {
      const type = typeof value;
      if (value !== undefined && type !== 'string' && type !== 'number' && type !== 'boolean') {
        memoKey = undefined;
        break;
      }
      memoKey += `\u0000${name}\u0001${type}\u0001${String(value)}`;
    }
    const known = memoKey === undefined ? undefined : this.translations.get(memoKey);
    if (known !== undefined) return known;
    const translated = this.i18n.t(key, { ...values, lng: locale });
    if (memoKey !== undefined) {
      // Values such as a letter's URLs make the keys many: the memo is dropped whole when full, not grown for ever.
      if (this.translations.size >= MAX_REMEMBERED_TRANSLATIONS) this.translations.clear();
      this.translations.set(memoKey, translated);
    }
    return translated;
  }

  /** A catalog message outside a template (a flash, an error), in `locale`. */
  translate(locale: Locale, key: string, values: Record<string, unknown> = {}): string {
    return this.i18n.t(key, { ...values, lng: locale });
  }

  /** Whether the catalogs have `key` (English, the fallback, at least). */
  hasKey(key: string, locale: Locale = 'en'): boolean {
    const options = { lng: locale, fallbackLng: false as const };
    return this.i18n.exists(key, options) || this.i18n.exists(`${key}_other`, options);
  }

  page(name: string, context: object): string {
    return this.compile(`pages/${name}.hbs`, this.html)(context);
  }

  letter(name: string, context: object): { subject: string; text: string; html: string } {
    return {
      subject: this.compile(`mail/${name}.subject.hbs`, this.text)(context).trim().replace(/\s+/g, ' '),
      text: this.compile(`mail/${name}.text.hbs`, this.text)(context),
      html: this.compile(`mail/${name}.html.hbs`, this.html)(context),
    };
  }

  private compile(file: string, hb: typeof Handlebars): Compiled {
    const key = `${hb === this.html ? 'h' : 't'}:${file}`;
    let compiled = this.cache.get(key);
    if (!compiled) {
      compiled = hb.compile(readFileSync(path.join(this.dir, file), 'utf8'), {
        noEscape: hb === this.text,
        strict: false,
      });
      this.cache.set(key, compiled);
    }
    return compiled;
  }
}

function localeOf(value: unknown): Locale {
  return isLocale(value) ? value : 'en';
}
