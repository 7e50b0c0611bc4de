import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { ELEMENT_LABELS, type ElementName } from '../checklist';
import { LOCALES } from '../core/i18n/locales';
import { projectRoot } from '../core/paths';
import { TemplateRenderer } from '../core/templates/template-renderer';

const PLURAL_SUFFIX = /_(zero|one|two|few|many|other)$/;

function catalog(locale: string): Record<string, unknown> {
  return JSON.parse(readFileSync(path.join(projectRoot(), 'locales', `${locale}.json`), 'utf8')) as Record<
    string,
    unknown
  >;
}

/** Every message's key, plural forms counted once (Chinese has one form where English has two). */
function keys(tree: Record<string, unknown>, prefix = ''): string[] {
  return Object.entries(tree).flatMap(([k, v]) =>
    typeof v === 'object' && v !== null
      ? keys(v as Record<string, unknown>, `${prefix}${k}.`)
      : [`${prefix}${k.replace(PLURAL_SUFFIX, '')}`],
  );
}

function templateFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? templateFiles(path.join(dir, e.name)) : e.name.endsWith('.hbs') ? [path.join(dir, e.name)] : [],
  );
}

describe('message catalogs', () => {
  it('have the same keys in every language', () => {
    const en = [...new Set(keys(catalog('en')))].sort();
    for (const locale of LOCALES) expect([...new Set(keys(catalog(locale)))].sort()).toEqual(en);
  });

  it('have no empty message', () => {
    for (const locale of LOCALES) {
      const empty = Object.entries(flatten(catalog(locale))).filter(([, v]) => typeof v !== 'string' || !v.trim());
      expect(empty).toEqual([]);
    }
  });

  it('have every key the templates ask for', () => {
    const renderer = new TemplateRenderer();
    const used = templateFiles(path.join(projectRoot(), 'templates')).flatMap((file) =>
      [...readFileSync(file, 'utf8').matchAll(/[{(]t "([^"]+)"/g)].map((m) => m[1]),
    );
    expect(used.length).toBeGreaterThan(30);
    for (const locale of LOCALES) expect(used.filter((key) => !renderer.hasKey(key, locale))).toEqual([]);
  });

  it('leave no context value named like a helper, which the helper would hide', () => {
    const helpers = /\{\{\{?\s*(t|strong|anchor|req|concat|eq|join|inc|date)\s*\}/;
    const hidden = templateFiles(path.join(projectRoot(), 'templates')).filter((f) =>
      helpers.test(readFileSync(f, 'utf8')),
    );
    expect(hidden).toEqual([]);
  });

  it('word every element in every language, the English as ELEMENT_LABELS has it', () => {
    const renderer = new TemplateRenderer();
    for (const [name, label] of Object.entries(ELEMENT_LABELS) as [
      ElementName,
      (typeof ELEMENT_LABELS)[ElementName],
    ][]) {
      expect(renderer.translate('en', `elements.${name}.title`)).toBe(label.title);
      expect(renderer.translate('en', `elements.${name}.howToSupply`)).toBe(label.howToSupply);
      for (const part of ['title', 'howToSupply'])
        expect(renderer.hasKey(`elements.${name}.${part}`, 'zh-Hans')).toBe(true);
    }
  });

  it('keep interpolated values in both languages', () => {
    const en = flatten(catalog('en'));
    const zh = flatten(catalog('zh-Hans'));
    const vars = (s: string): string[] => [...s.matchAll(/\{\{(\w+)\}\}/g)].map((m) => m[1]).sort();
    for (const [key, message] of Object.entries(zh)) {
      const english = en[key] ?? en[key.replace(PLURAL_SUFFIX, '_other')];
      expect({ key, vars: vars(message) }).toEqual({ key, vars: vars(english) });
    }
  });
});

function flatten(tree: Record<string, unknown>, prefix = ''): Record<string, string> {
  return Object.fromEntries(
    Object.entries(tree).flatMap(([k, v]) =>
      typeof v === 'object' && v !== null
        ? Object.entries(flatten(v as Record<string, unknown>, `${prefix}${k}.`))
        : [[`${prefix}${k}`, v as string]],
    ),
  );
}

describe('letters in each language', () => {
  const renderer = new TemplateRenderer();
  const context = (locale: string) => ({
    locale,
    site: { name: 'SoftHub', url: 'https://softhub.test' },
    agent: { name: 'DMCA Agent', email: 'dmca@softhub.test', address: '' },
    case: { reference: 'DMCA-2026-000001', statusUrl: 'https://softhub.test/status/abc' },
    missing: [{ name: 'signature' }, { name: 'perjury' }],
  });

  it('writes the deficiency letter in Chinese, with the regulation Chinese senders know', () => {
    const letter = renderer.letter('deficiency', context('zh-Hans'));
    expect(letter.subject).toBe('[DMCA-2026-000001] 您的版权通知内容不完整：缺少 2 项');
    expect(letter.text).toContain('《信息网络传播权保护条例》第十四条');
    expect(letter.text).toContain('1. 您的亲笔签名或电子签名');
    expect(letter.text).toContain('补充方式：请在通知末尾输入您的法定全名作为签名');
    expect(letter.html).toContain('<html lang="zh-Hans">');
    expect(letter.html).toContain('<strong>DMCA-2026-000001</strong>');
    expect(letter.text).not.toMatch(/Hello|How to supply/);
  });

  it('keeps the English wording, and escapes values in HTML only', () => {
    const letter = renderer.letter('deficiency', { ...context('en'), message: 'Say <who> you are & sign' });
    expect(letter.subject).toBe('[DMCA-2026-000001] Your copyright notice is incomplete: 2 element(s) missing');
    expect(letter.text).toContain('the law (17 U.S.C. 512(c)(3)) and our policy need the following');
    expect(letter.text).toContain(
      `1. ${ELEMENT_LABELS.signature.title}\n   How to supply it: ${ELEMENT_LABELS.signature.howToSupply}`,
    );
    expect(letter.text).toContain('Say <who> you are & sign');
    expect(letter.html).toContain('Say &lt;who&gt; you are &amp; sign');
  });

  it('writes the receipt in Chinese with its confirmation link', () => {
    const receipt = renderer.letter('receipt', {
      ...context('zh-Hans'),
      kind: 'takedown',
      complete: false,
      deficiencyLetter: true,
      confirmUrl: 'https://softhub.test/letters/confirm/x?a=1&b=2',
    });
    expect(receipt.subject).toBe('[DMCA-2026-000001] 我们已收到您的版权通知');
    expect(receipt.text).toContain('我们已收到您的通知，并已立案，案件编号为 DMCA-2026-000001。');
    expect(receipt.html).toContain(
      '<a href="https://softhub.test/letters/confirm/x?a&#x3D;1&amp;b&#x3D;2">请确认此邮箱地址</a>',
    );
    expect(receipt.text).toContain('案件编号 DMCA-2026-000001\n案件进展：https://softhub.test/status/abc');
  });
});

describe('every letter in each language', () => {
  const renderer = new TemplateRenderer();
  const kinds = [
    ...new Set(
      readdirSync(path.join(projectRoot(), 'templates', 'mail'))
        .filter((f) => f.endsWith('.subject.hbs'))
        .map((f) => f.replace(/\.subject\.hbs$/, '')),
    ),
  ].filter((k) => k !== 'digest');
  const context = {
    site: { name: 'SoftHub', url: 'https://softhub.test' },
    agent: { name: 'DMCA Agent', email: 'dmca@softhub.test', address: '' },
    case: { reference: 'DMCA-2026-000001', statusUrl: 'https://softhub.test/status/abc' },
    kind: 'takedown',
    missing: [{ name: 'signature' }],
    links: ['https://softhub.test/d/1'],
    removed: [{ url: 'https://softhub.test/d/1', label: 'Star Miner', pageUrl: 'https://softhub.test/s/1' }],
    claim: { name: 'Zhang Wei', company: 'StarSoft', work: 'Star Miner' },
    restore: { due: '2026-12-20', notBefore: '2026-12-16', notAfter: '2026-12-22' },
    counterNotice: { notifier: { name: 'Li Na' }, removedUrls: ['https://softhub.test/d/1'] },
    suit: { court: 'N.D. Cal.', docketNumber: '3:26-cv-1', filedOn: '2026-12-10' },
    providers: [{ name: 'MEGA', channel: { email: 'copyright@mega.nz' }, links: ['https://mega.nz/file/x'] }],
    at: new Date('2026-12-01T10:00:00Z'),
  };

  it.each(kinds)('writes %s in Chinese with no English left, and in English with none of the Chinese', (kind) => {
    const zh = renderer.letter(kind, { ...context, locale: 'zh-Hans' });
    const en = renderer.letter(kind, { ...context, locale: 'en' });
    for (const part of [zh.subject, zh.text]) {
      expect(part).toMatch(/\p{Script=Han}/u);
      expect(part).not.toMatch(/\b(Hello|We|Your|the|our)\b/);
    }
    for (const part of [en.subject, en.text, en.html]) expect(part).not.toMatch(/\p{Script=Han}/u);
  });
});

describe("the uploader's page", () => {
  it('is written in the language asked for', () => {
    const renderer = new TemplateRenderer();
    const view = {
      reference: 'DMCA-2026-000001',
      claim: { name: 'Jane Roe', company: 'Roe Rights LLC', work: 'Acme Studio 5' },
      removed: [{ url: 'https://softhub.test/d/1', removedAt: new Date('2026-12-01T10:00:00Z'), status: 'taken_down' }],
      noticeUrls: ['https://softhub.test/d/1'],
      counterNoticeUrl: '/counter-notices/new?case=DMCA-2026-000001',
      counterNotices: [],
    };
    const zh = renderer.page('uploader-status', { site: { siteName: 'SoftHub', agent: {} }, view, locale: 'zh-Hans' });
    expect(zh).toContain('<strong>Jane Roe</strong>（Roe Rights LLC）发出版权通知，主张对 Acme Studio 5 享有著作权。');
    expect(zh).toContain('>提交反通知</a>');
    const en = renderer.page('uploader-status', { site: { siteName: 'SoftHub', agent: {} }, view });
    expect(en).toContain(
      'A copyright notice from <strong>Jane Roe</strong> (Roe Rights LLC) claims copyright in Acme Studio 5. This page is yours alone',
    );
  });
});
