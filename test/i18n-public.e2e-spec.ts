import type { INestApplicationContext } from '@nestjs/common';
import type { Client } from 'pg';
import { takenDownCase, uploaderDetails } from './support/counter-notice-form';
import { isolatedDatabase, isolatedDatabaseUrl } from './support/database';
import { completeNoticeFrom, postJson } from './support/factories';
import { type RunningApi, startApi, startWorker, uniqueId, uniquePrefix, waitFor } from './support/harness';
import { type CapturedMail, SmtpSink } from './support/smtp-sink';
import { createStaff, type StaffFixture } from './support/staff';

jest.setTimeout(120_000);

/** A database of its own: its worker sends the privacy mail recorded in it, and no other file's worker may. */
const DATABASE_URL = isolatedDatabaseUrl('i18n_public');
const ZH = { 'accept-language': 'zh-CN,zh;q=0.9,en;q=0.8' };
const EN = { 'accept-language': 'en-GB,en;q=0.9' };

/** A browser without the browser: its cookie, the last page's CSRF token, and the language it asks for. */
class Browser {
  private cookie = '';
  csrf = '';

  constructor(
    private readonly base: string,
    private readonly headers: Record<string, string>,
  ) {}

  async get(path: string): Promise<{ status: number; html: string; language: string | null }> {
    return this.read(await fetch(this.base + path, { headers: { ...this.headers, cookie: this.cookie } }));
  }

  async post(path: string, fields: Record<string, string>) {
    return this.read(
      await fetch(this.base + path, {
        method: 'POST',
        redirect: 'manual',
        headers: { ...this.headers, cookie: this.cookie, 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ _csrf: this.csrf, ...fields }).toString(),
      }),
    );
  }

  private async read(res: Response): Promise<{ status: number; html: string; language: string | null }> {
    const set = res.headers.getSetCookie().find((c) => c.startsWith('td_csrf='));
    if (set) this.cookie = set.split(';')[0];
    const html = await res.text();
    this.csrf = /name="_csrf" value="([^"]+)"/.exec(html)?.[1] ?? this.csrf;
    return { status: res.status, html, language: res.headers.get('content-language') };
  }
}

/**
 * The public pages that were English only, in Simplified Chinese by the browser's Accept-Language (and ?lang=):
 * the privacy notice, request form and its pages, the address confirmation page, the 451 page, the counter-notice
 * result and status page; and the privacy letters in the language of the form a request was made on, through the
 * real worker and SMTP. English readers get the English, as before.
 */
describe('the public side in the reader’s language', () => {
  const prefix = uniquePrefix();
  const sink = new SmtpSink();
  let client: Client;
  let api: RunningApi;
  let worker: INestApplicationContext;
  let legal: StaffFixture;

  beforeAll(async () => {
    client = await isolatedDatabase('i18n_public');
    await sink.start();
    const env = {
      DATABASE_URL,
      QUEUE_PREFIX: prefix,
      SMTP_URL: sink.url,
      MAIL_FROM: 'dmca@example.com',
      SITE_NAME: 'SoftHub',
      PRIVACY_CONTACT_EMAIL: 'privacy@example.com',
      SLA_TIMEZONE: 'UTC',
      SLA_HOLIDAYS: '',
    };
    api = await startApi(env);
    worker = await startWorker(env);
    legal = await createStaff(client, 'legal');
  });

  afterAll(async () => {
    await worker?.close();
    await api?.close();
    await sink.stop();
    await client?.end();
  });

  const mailsTo = (to: string, count: number): Promise<CapturedMail[]> =>
    waitFor(`${count} mail(s) to ${to}`, () => {
      const got = sink.to(to);
      return Promise.resolve(got.length >= count ? got : undefined);
    });
  const linkIn = (mail: CapturedMail, path: string): string => {
    const match = new RegExp(`https?://[^/\\s]+(${path}/[A-Za-z0-9_.-]+(\\?lang=[A-Za-z-]+)?)`).exec(
      mail.parsed.text ?? '',
    );
    if (!match) throw new Error(`No ${path} link in: ${mail.parsed.text}`);
    return match[1];
  };
  /** The newest request: the running test's (the tests of a file run one at a time, each after its mail). */
  const newestRequest = async (): Promise<{ id: string; language: string }> =>
    (await client.query(`SELECT id, language FROM privacy_requests ORDER BY received_at DESC LIMIT 1`)).rows[0];

  it('shows the privacy notice and the request form in Chinese to a Chinese browser, in English on ?lang=en', async () => {
    const zh = await new Browser(api.url, ZH).get('/privacy');
    expect(zh.status).toBe(200);
    expect(zh.language).toBe('zh-Hans');
    expect(zh.html).toContain('<html lang="zh-Hans">');
    expect(zh.html).toContain('在版权事务中如何处理个人信息');
    expect(zh.html).toContain('我们从不以您的同意作为处理依据');
    expect(zh.html).toContain('17 U.S.C. § 512(g)(2)(B)');
    expect(zh.html).toContain('<a href="/privacy?lang&#x3D;en" lang="en" hreflang="en">English</a>');
    expect(zh.html).not.toMatch(/We never rely|Who is responsible/);

    const en = await new Browser(api.url, ZH).get('/privacy?lang=en');
    expect(en.language).toBe('en');
    expect(en.html).toContain('We never rely on your consent');
    // Only the language switch names Chinese.
    expect(en.html.replace(/<nav class="languages"[\s\S]*?<\/nav>/, '')).not.toMatch(/\p{Script=Han}/u);
    expect((await new Browser(api.url, EN).get('/privacy')).html).toContain(
      '<h2 id="controller">Who is responsible</h2>',
    );

    const form = await new Browser(api.url, ZH).get('/privacy/request');
    expect(form.html).toContain('<h1>个人信息查询与删除申请</h1>');
    expect(form.html).toContain('<input type="hidden" name="lang" value="zh-Hans">');
    expect((await new Browser(api.url, EN).get('/privacy/request')).html).toContain(
      '<h1>Ask about your personal data</h1>',
    );
  });

  it('says what to fix on the Chinese form in Chinese, and keeps the language a reader switched to', async () => {
    const browser = new Browser(api.url, EN);
    await browser.get('/privacy/request?lang=zh-Hans');
    const wrong = await browser.post('/privacy/request', { lang: 'zh-Hans', email: 'not an address', kind: 'copy' });
    expect(wrong.status).toBe(400);
    expect(wrong.language).toBe('zh-Hans');
    expect(wrong.html).toContain('请更正下方标出的栏目。');
    expect(wrong.html).toContain('请填写有效的电子邮箱，例如 jo@example.org。');
    expect(wrong.html).toContain('请选择您希望获取信息副本还是删除信息。');

    const english = new Browser(api.url, ZH);
    await english.get('/privacy/request?lang=en');
    const refused = await english.post('/privacy/request', { lang: 'en', email: 'not an address' });
    expect(refused.html).toContain('Enter a valid email address, such as jo@example.org.');
  });

  it('writes a Chinese requester their letters in Chinese and stores the language; the pages they open follow', async () => {
    const email = `zhang-${uniqueId()}@people.example.cn`;
    // A case of theirs under a legal hold: the erasure keeps it, and the letter says why in Chinese.
    const filed = await postJson(api.url, '/api/v1/notices', completeNoticeFrom(email, ['https://mega.nz/file/z1']));
    expect(filed.status).toBe(201);
    await client.query(
      `INSERT INTO legal_holds (case_id, kind, reason, set_by) VALUES ($1, 'preservation', 'a 512(f) claim', 'staff')`,
      [filed.body.caseId],
    );
    // The notice's own letters (its receipt, the referral) go out first, so that the next mail is the request's.
    await waitFor("the notice's letters to be sent", async () => {
      const { rows } = await client.query<{ routed: boolean; waiting: number; sent: number }>(
        `SELECT c.routed_at IS NOT NULL AS routed,
                count(l.id) FILTER (WHERE l.status = 'queued' AND l.held_until IS NULL)::int AS waiting,
                count(l.id) FILTER (WHERE l.status = 'sent')::int AS sent
         FROM cases c LEFT JOIN letters l ON l.case_id = c.id WHERE c.id = $1 GROUP BY c.routed_at`,
        [filed.body.caseId],
      );
      const r = rows[0];
      return r.routed && r.waiting === 0 && sink.to(email).length >= r.sent ? true : undefined;
    });
    const before = sink.to(email).length;

    const browser = new Browser(api.url, ZH);
    await browser.get('/privacy/request');
    const sent = await browser.post('/privacy/request', { lang: 'zh-Hans', email, kind: 'erasure' });
    expect(sent.status).toBe(200);
    expect(sent.html).toContain('<h1>请查收邮件</h1>');

    const [confirmMail] = (await mailsTo(email, before + 1)).slice(before);
    expect(confirmMail.parsed.subject).toBe('SoftHub：请确认您删除个人信息的申请');
    expect(confirmMail.parsed.text).toContain(
      '有人（我们希望是您本人）请求 SoftHub 删除我们所持有的与此邮箱有关的个人信息。',
    );
    expect(confirmMail.parsed.text).not.toMatch(/\b(Hello|Someone|Once|the)\b/);
    expect(confirmMail.parsed.html).toContain('<html lang="zh-Hans">');
    const request = await newestRequest();
    expect(request.language).toBe('zh-Hans');

    // The mailed link names the language, so a browser asking for English still gets the Chinese page.
    const path = linkIn(confirmMail, '/privacy/confirm');
    expect(path).toMatch(/\?lang=zh-Hans$/);
    const page = new Browser(api.url, EN);
    const opened = await page.get(path);
    expect(opened.html).toContain('<button type="submit">确认我的申请</button>');
    const confirmed = await page.post(path.replace(/\?.*$/, ''), { lang: 'zh-Hans' });
    expect(confirmed.status).toBe(200);
    expect(confirmed.html).toContain('谢谢，您的申请已确认。');

    const erased = await fetch(`${api.url}/api/v1/staff/privacy-requests/${request.id}/erase`, {
      method: 'POST',
      headers: { authorization: `Bearer ${legal.token}`, 'content-type': 'application/json' },
      body: '{}',
    });
    expect(erased.status).toBe(200);
    expect(await erased.json()).toMatchObject({ status: 'partially_retained' });

    const outcome = await waitFor('the outcome letter', () =>
      Promise.resolve(sink.to(email).find((m) => m.parsed.subject?.includes('删除申请'))),
    );
    expect(outcome.parsed.subject).toBe('SoftHub：您的删除申请已办理，部分信息须依法保留');
    expect(outcome.parsed.text).toContain(
      `  - 案件 ${filed.body.reference} 中的通知、函件和联系方式：本案因索赔或证据保全请求处于法律保全状态，相关记录将保留至保全解除为止。`,
    );
    expect(outcome.parsed.text).toContain('如有疑问：privacy@example.com');
    expect(outcome.parsed.text).not.toMatch(/\b(Hello|We|Your|the|our)\b/);
  });

  it('writes an English requester in English, as before', async () => {
    const email = `jo-${uniqueId()}@people.example.org`;
    const browser = new Browser(api.url, EN);
    await browser.get('/privacy/request');
    await browser.post('/privacy/request', { lang: 'en', email, kind: 'access' });
    const [mail] = await mailsTo(email, 1);
    expect(mail.parsed.subject).toBe('SoftHub: confirm your request for your data');
    expect(mail.parsed.text).toContain('Someone, we hope you, asked SoftHub for a copy of the personal data');
    expect(mail.parsed.text).not.toMatch(/\p{Script=Han}/u);
    expect((await newestRequest()).language).toBe('en');

    // Confirmed, the export link is mailed; its page reads in the request's language.
    const page = new Browser(api.url, ZH);
    const path = linkIn(mail, '/privacy/confirm');
    await page.get(path);
    await page.post(path.replace(/\?.*$/, ''), { lang: 'en' });
    const [, exportMail] = await mailsTo(email, 2);
    expect(exportMail.parsed.subject).toBe('SoftHub: the personal data we hold about you');
    const exported = await page.get(linkIn(exportMail, '/privacy/export'));
    expect(exported.status).toBe(200);
    expect(exported.html).toContain('<h1>The personal data we hold about you</h1>');
    expect(exported.html).toContain('We hold no case with this address.');
    const zh = await page.get(linkIn(exportMail, '/privacy/export').replace('lang=en', 'lang=zh-Hans'));
    expect(zh.html).toContain('<h1>我们所持有的您的个人信息</h1>');
    expect(zh.html).toContain('我们未持有任何与该邮箱有关的案件。');
  });

  it('shows the address confirmation page, and the 451 page of a removed download, in the browser’s language', async () => {
    const invalid = await new Browser(api.url, ZH).get('/letters/confirm/not-a-token');
    expect(invalid.status).toBe(404);
    expect(invalid.html).toContain('<h1>确认您的邮箱</h1>');
    expect(invalid.html).toContain('此确认链接无效。');
    expect((await new Browser(api.url, EN).get('/letters/confirm/not-a-token')).html).toContain(
      'This confirmation link is not valid.',
    );

    const { url, reference } = await takenDownCase(api, client, prefix, `rights-${uniqueId()}@holder.test`);
    const path = new URL(url).pathname;
    const zh = await fetch(`${api.url}${path}`, { headers: ZH });
    expect(zh.status).toBe(451);
    expect(zh.headers.get('content-language')).toBe('zh-Hans');
    const html = await zh.text();
    expect(html).toContain('<h1>451 因法律原因无法访问</h1>');
    expect(html).toContain(`案件编号 <strong>${reference}</strong>`);
    expect(html).toContain('>提交反通知</a>');
    const en = await (await fetch(`${api.url}${path}?lang=en`, { headers: ZH })).text();
    expect(en).toContain('<h1>451 Unavailable For Legal Reasons</h1>');
    expect(en).toContain(`, case <strong>${reference}</strong>.`);
  });

  it('shows the counter-notice result and status page in Chinese, and its field errors', async () => {
    const { url, reference } = await takenDownCase(api, client, prefix, `rights-${uniqueId()}@holder.test`);
    const browser = new Browser(api.url, ZH);
    await browser.get(`/counter-notices/new?case=${reference}`);
    const who = uploaderDetails();
    const lacking = await browser.post('/counter-notices', { lang: 'zh-Hans', caseReference: reference, ...who });
    expect(lacking.status).toBe(400);
    expect(lacking.html).toContain('请至少列出一个被删除内容原先所在的网址（URL），每行一个。');
    expect(lacking.html).toContain('反通知必须包含此项同意。');

    const result = await browser.post('/counter-notices', {
      lang: 'zh-Hans',
      caseReference: reference,
      ...who,
      removedUrls: url,
      mistakeStatement: 'yes',
      consentToJurisdiction: 'yes',
      signature: who.name,
    });
    expect(result.status).toBe(201);
    expect(result.language).toBe('zh-Hans');
    expect(result.html).toContain(`<h1>案件 ${reference} 的反通知</h1>`);
    expect(result.html).toContain('状态：<strong>已转送通知人</strong>');
    const token = /\/counter-notices\/status\/([A-Za-z0-9_-]+)/.exec(result.html)![1];

    const status = await new Browser(api.url, ZH).get(`/counter-notices/status/${token}`);
    expect(status.html).toContain('何时恢复相关内容');
    const english = await new Browser(api.url, ZH).get(`/counter-notices/status/${token}?lang=en`);
    expect(english.html).toContain(`<h1>Counter-notice for case ${reference}</h1>`);
    expect(english.html).toContain('Status: <strong>Forwarded to the complainant</strong>');
  });

  it("words the complainant's status page flash in the case's language", async () => {
    const filed = await postJson(api.url, '/api/v1/notices', {
      ...completeNoticeFrom(`zhang-${uniqueId()}@rights.example.cn`, ['https://mega.nz/file/z2']),
      language: 'zh-Hans',
    });
    const path = new URL(filed.body.statusUrl as string).pathname;
    const browser = new Browser(api.url, EN);
    await browser.get(path);
    browser.csrf = 'not-the-token';
    const refused = await browser.post(`${path}/retract`, {});
    expect(refused.status).toBe(403);
    expect(refused.html).toContain('该表单已过期或来自其他网站，因此未作任何更改。请刷新页面后重试。');
    expect(refused.html).toContain('<td>转由存储服务处理</td>');
  });
});
