import type { INestApplicationContext } from '@nestjs/common';
import { Client } from 'pg';
import { ELEMENT_LABELS, type ElementName } from '../src/checklist';
import { isolatedDatabase, isolatedDatabaseUrl } from './support/database';
import { postJson } from './support/factories';
import { type RunningApi, startApi, startWorker, uniqueId, uniquePrefix, waitFor } from './support/harness';
import { SmtpSink } from './support/smtp-sink';

jest.setTimeout(90_000);

/** A database of its own, so that no other file's worker sends (or takes) these letters. */
const DATABASE_URL = isolatedDatabaseUrl('i18n');

/** A Chinese rights holder's notice: its text in Chinese, its fields too (the signature and statements left out). */
function chineseNotice(email: string): Record<string, unknown> {
  const url = `https://example.com/d/${uniqueId()}`;
  return {
    text: [
      '您好：',
      '我司星际软件有限公司是游戏软件《星际矿工》的著作权人，原作品见 https://starsoft.cn/miner 。',
      `贵站以下页面未经许可提供该软件的下载，侵犯了我司的信息网络传播权：${url}`,
      `联系人：张伟，电话 +86 10 5555 0100，邮箱 ${email}，地址：北京市海淀区中关村大街1号`,
      '请予删除。',
    ].join('\n'),
    complainant: {
      name: '张伟',
      company: '星际软件有限公司',
      email,
      role: 'owner',
      address: '北京市海淀区中关村大街1号',
      phone: '+86 10 5555 0100',
    },
    work: { description: '游戏软件《星际矿工》', url: 'https://starsoft.cn/miner' },
    infringingUrls: [url],
  };
}

describe('letters and the status page in the notice language', () => {
  const prefix = uniquePrefix();
  const sink = new SmtpSink();
  let api: RunningApi;
  let worker: INestApplicationContext;
  let client: Client;

  beforeAll(async () => {
    client = await isolatedDatabase('i18n');
    await sink.start();
    const env = { DATABASE_URL, QUEUE_PREFIX: prefix, SMTP_URL: sink.url, MAIL_FROM: 'dmca@example.com' };
    api = await startApi(env);
    worker = await startWorker(env);
  });

  afterAll(async () => {
    await worker?.close();
    await api?.close();
    await sink.stop();
    await client?.end();
  });

  const lettersTo = (email: string, n: number) =>
    waitFor(`${n} letters to ${email}`, () =>
      Promise.resolve(sink.to(email).length === n ? sink.to(email) : undefined),
    );

  it('writes the receipt and the deficiency letter of a Chinese notice in Chinese, and stores its language', async () => {
    const email = `legal-${uniqueId()}@starsoft.cn`;
    const res = await postJson(api.url, '/api/v1/notices', chineseNotice(email));
    expect(res.status).toBe(201);
    const missing = res.body.missing as ElementName[];
    expect(missing).toEqual(expect.arrayContaining(['good_faith', 'perjury', 'signature']));

    const [{ language }] = (await client.query(`SELECT language FROM cases WHERE id = $1`, [res.body.caseId])).rows;
    expect(language).toBe('zh-Hans');
    const notices = await client.query(`SELECT language FROM notices WHERE case_id = $1`, [res.body.caseId]);
    expect(notices.rows).toEqual([{ language: 'zh-Hans' }]);

    const mails = await lettersTo(email, 2);
    const receipt = mails.find((m) => m.parsed.subject?.includes('我们已收到您的版权通知'))!;
    const deficiency = mails.find((m) => m.parsed.subject?.includes('您的版权通知内容不完整'))!;
    expect(receipt.parsed.subject).toBe(`[${res.body.reference}] 我们已收到您的版权通知`);
    expect(receipt.parsed.text).toContain(`我们已收到您的通知，并已立案，案件编号为 ${res.body.reference}。`);
    expect(deficiency.parsed.subject).toBe(`[${res.body.reference}] 您的版权通知内容不完整：缺少 ${missing.length} 项`);
    expect(deficiency.parsed.text).toContain('《信息网络传播权保护条例》第十四条');
    expect(deficiency.parsed.text).toContain('您的亲笔签名或电子签名');
    expect(deficiency.parsed.html).toContain('<html lang="zh-Hans">');
    for (const m of [receipt, deficiency]) expect(m.parsed.text).not.toMatch(/Hello|How to supply|Case DMCA/);
  });

  it('writes an English notice its letters in English, as before', async () => {
    const email = `legal-${uniqueId()}@pixelforge.io`;
    const text = [
      'Our company owns the copyright in the software "PixelForge Pro". The original is at https://pixelforge.io/pro.',
      `An unauthorised copy is offered for download at https://example.com/d/${uniqueId()}`,
      '',
      `Contact: ${email}, +1 415 555 0100`,
    ].join('\n');
    const res = await postJson(api.url, '/api/v1/notices', { text });
    expect(res.status).toBe(201);
    const mails = await lettersTo(email, 2);
    const deficiency = mails.find((m) => m.parsed.subject?.includes('incomplete'))!;
    expect(deficiency.parsed.subject).toMatch(/Your copyright notice is incomplete: \d+ element\(s\) missing$/);
    expect(deficiency.parsed.text).toContain('17 U.S.C. 512(c)(3)');
    for (const element of res.body.missing as ElementName[])
      expect(deficiency.parsed.text).toContain(ELEMENT_LABELS[element].title);
    expect(mails.find((m) => m.parsed.subject?.includes('We received your copyright notice'))).toBeDefined();
  });

  it('takes the language the API sender names, and refuses one it does not offer', async () => {
    const email = `legal-${uniqueId()}@starsoft.cn`;
    const res = await postJson(api.url, '/api/v1/notices', { ...chineseNotice(email), language: 'en' });
    expect(res.status).toBe(201);
    const mails = await lettersTo(email, 2);
    expect(mails.map((m) => m.parsed.subject).join(' ')).toContain('We received your copyright notice');

    const bad = await postJson(api.url, '/api/v1/notices', { ...chineseNotice(email), language: 'zh-TW' });
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.body)).toContain('language must be one of en, zh-Hans');
  });

  it("shows the status page in the case's language, with a switch", async () => {
    const res = await postJson(api.url, '/api/v1/notices', chineseNotice(`legal-${uniqueId()}@starsoft.cn`));
    const path = new URL(res.body.statusUrl as string).pathname;
    const zh = await (await fetch(`${api.url}${path}`)).text();
    expect(zh).toContain('<html lang="zh-Hans">');
    expect(zh).toContain(`案件 ${res.body.reference}`);
    expect(zh).toContain('必要内容');
    expect(zh).toContain('您的亲笔签名或电子签名');
    const en = await (await fetch(`${api.url}${path}?lang=en`)).text();
    expect(en).toContain(`Case ${res.body.reference}`);
    expect(en).toContain(ELEMENT_LABELS.signature.title);
  });

  it("shows the notice form in the browser's language, with a switch, and files the notice in it", async () => {
    const zh = await fetch(`${api.url}/notices/new`, { headers: { 'accept-language': 'zh-CN,zh;q=0.9,en;q=0.8' } });
    const html = await zh.text();
    expect(zh.headers.get('content-language')).toBe('zh-Hans');
    expect(html).toContain('<html lang="zh-Hans">');
    expect(html).toContain('<h1>提交版权通知</h1>');
    expect(html).toContain('本人善意地相信');
    expect(html).toContain('<a href="/notices/new?lang&#x3D;en" lang="en" hreflang="en">English</a>');
    expect(html).toContain('<input type="hidden" name="lang" value="zh-Hans">');
    const en = await (
      await fetch(`${api.url}/notices/new?lang=en`, { headers: { 'accept-language': 'zh-CN' } })
    ).text();
    expect(en).toContain('<h1>File a copyright notice</h1>');
    expect(await (await fetch(`${api.url}/notices/new`)).text()).toContain('<h1>File a copyright notice</h1>');

    const csrf = /name="_csrf" value="([^"]+)"/.exec(html)![1];
    const cookie = zh.headers.get('set-cookie')!.split(';')[0];
    const post = (fields: Record<string, string>) =>
      fetch(`${api.url}/notices`, {
        method: 'POST',
        redirect: 'manual',
        headers: { 'content-type': 'application/x-www-form-urlencoded', cookie },
        body: new URLSearchParams({ _csrf: csrf, lang: 'zh-Hans', ...fields }).toString(),
      });
    const refused = await (await post({ name: '张伟', email: 'not an address' })).text();
    expect(refused).toContain('请更正下方标出的栏目。');
    expect(refused).toContain('请填写有效的电子邮箱，例如 legal@example.org。');

    const email = `legal-${uniqueId()}@starsoft.cn`;
    const filed = await post({
      name: '张伟',
      email,
      role: 'owner',
      workDescription: '游戏软件《星际矿工》',
      infringingUrls: `https://example.com/d/${uniqueId()}`,
      searchTerms: '星际矿工',
      goodFaith: 'yes',
      perjury: 'yes',
      signature: '张伟',
      consent: 'yes',
    });
    expect(filed.status).toBe(303);
    const status = await (await fetch(`${api.url}${filed.headers.get('location')}`)).text();
    expect(status).toContain('<html lang="zh-Hans">');
    const mails = await lettersTo(email, 1);
    expect(mails[0].parsed.subject).toContain('我们已收到您的版权通知');
  });

  it("shows the counter-notice form in the browser's language, its switch keeping the prefilled case", async () => {
    const res = await fetch(`${api.url}/counter-notices/new?case=DMCA-2026-000001`, {
      headers: { 'accept-language': 'zh-Hans-CN' },
    });
    const html = await res.text();
    expect(res.headers.get('content-language')).toBe('zh-Hans');
    expect(html).toContain('<h1>提交反通知</h1>');
    expect(html).toContain('如有不实，愿意承担由此产生的全部法律责任');
    expect(html).toContain('17 U.S.C. § 512(g)(3)');
    expect(html).toContain('href="/counter-notices/new?case&#x3D;DMCA-2026-000001&amp;lang&#x3D;en"');
    const en = await (
      await fetch(`${api.url}/counter-notices/new?lang=en`, { headers: { 'accept-language': 'zh' } })
    ).text();
    expect(en).toContain('<h1>File a counter-notice</h1>');
  });
});
