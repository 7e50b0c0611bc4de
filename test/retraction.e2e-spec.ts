import type { Client } from 'pg';
import { TEST_REDIS_URL } from './support/env';
import { completeNoticeFrom, createCatalogPage, postJson } from './support/factories';
import {
  auditTrail,
  auditTrailWithTexts,
  db,
  drain,
  type RunningApi,
  startApi,
  startMailWorker,
  uniqueId,
  uniquePrefix,
  waitFor,
} from './support/harness';
import { compose, DMARC_PASS_DOMAIN, freePort, sendRaw } from './support/mail-fixtures';
import { SmtpSink } from './support/smtp-sink';
import { createStaff } from './support/staff';

jest.setTimeout(90_000);

const INTAKE = 'dmca@example.com';

/**
 * A complainant retracts, through their status link: part of a notice, then the rest. What was taken down comes
 * back at once, a referral's provider is told, the uploader and the complainant hear, and the case is closed. Real
 * Postgres, Redis, SMTP, the worker and the built-in catalog.
 */
describe('retractions', () => {
  const prefix = uniquePrefix();
  const complainant = `rights-${uniqueId()}@holder.test`;
  const uploader = `uploader-${uniqueId()}@site-user.test`;
  let client: Client;
  let api: RunningApi;
  let worker: Awaited<ReturnType<typeof startMailWorker>>;
  let port: number;
  let sink: SmtpSink;

  beforeAll(async () => {
    client = await db();
    sink = await new SmtpSink().start();
    port = await freePort();
    const env = {
      QUEUE_PREFIX: prefix,
      SMTP_URL: sink.url,
      SMTP_LISTEN_PORT: String(port),
      SMTP_LISTEN_HOST: '127.0.0.1',
      INBOUND_ADDRESSES: INTAKE,
      MAIL_FROM: INTAKE,
    };
    api = await startApi(env);
    worker = await startMailWorker(env);
  });

  afterAll(async () => {
    await worker?.close();
    await api?.close();
    await sink?.stop();
    await client?.end();
  });

  const download = async (id: string) => (await fetch(`${api.url}/d/${id}`, { redirect: 'manual' })).status;
  const links = async (caseId: string) =>
    Object.fromEntries(
      (await client.query(`SELECT url, status FROM reported_links WHERE case_id = $1`, [caseId])).rows.map((r) => [
        r.url,
        r.status,
      ]),
    );

  it('restores a partial retraction at once, changes nothing when repeated, then retracts the rest', async () => {
    const page = await createCatalogPage(client, {
      uploaderEmail: uploader,
      targets: [
        `https://files.example-mirror.org/a-${uniqueId()}.zip`,
        `https://files.example-mirror.org/b-${uniqueId()}.zip`,
      ],
    });
    const [a, b] = page.downloads;
    const mega = `https://mega.nz/file/${uniqueId()}`;
    const urlA = `https://example.com/d/${a.id}`;
    const urlB = `https://example.com/d/${b.id}`;
    const filed = await postJson(api.url, '/api/v1/notices', completeNoticeFrom(complainant, [urlA, urlB, mega]));
    expect(filed.status).toBe(201);
    const { caseId, reference } = filed.body;
    const token = filed.body.statusUrl.split('/').pop();
    await drain(client, TEST_REDIS_URL, prefix);
    await waitFor(
      'both downloads to be taken down',
      async () => (await download(a.id)) === 451 && (await download(b.id)) === 451,
    );
    expect((await links(caseId))[mega]).toBe('referred');

    // Only the complainant's link may retract.
    expect((await postJson(api.url, `/api/v1/status/${'x'.repeat(32)}/retract`, {})).status).toBe(404);
    const stranger = await postJson(api.url, `/api/v1/status/${token}/retract`, { urls: ['https://example.com/d/1'] });
    expect(stranger.status).toBe(422);
    expect(stranger.body.message).toContain('not in this notice');

    const partial = await postJson(api.url, `/api/v1/status/${token}/retract`, {
      urls: [urlA],
      reason: 'Licensed after all',
    });
    expect(partial.status).toBe(200);
    expect(partial.body).toEqual({ reference, retractedUrls: [urlA], restored: [urlA], changed: true });
    await drain(client, TEST_REDIS_URL, prefix);
    await waitFor('download A to be back', async () => (await download(a.id)) === 302);
    expect(await download(b.id)).toBe(451);
    expect(await links(caseId)).toMatchObject({ [urlA]: 'restored', [urlB]: 'taken_down', [mega]: 'referred' });

    const again = await postJson(api.url, `/api/v1/status/${token}/retract`, {
      urls: [urlA],
      reason: 'Licensed after all',
    });
    expect(again.body).toEqual({ reference, retractedUrls: [urlA], restored: [], changed: false });
    const retractions = () => auditTrail(client, caseId).then((t) => t.filter((e) => e.action === 'notice.retracted'));
    expect(await retractions()).toHaveLength(1);
    // The complainant's words are a case text of theirs; the log names it.
    const [retraction] = await retractions();
    expect(
      (await client.query(`SELECT author, kind, text FROM case_texts WHERE id = $1`, [retraction.detail.reasonText]))
        .rows,
    ).toEqual([{ author: 'sender', kind: 'retraction_reason', text: 'Licensed after all' }]);

    const whole = await postJson(api.url, `/api/v1/status/${token}/retract`, {});
    expect(whole.status).toBe(200);
    expect(whole.body.restored).toEqual([urlB]);
    await drain(client, TEST_REDIS_URL, prefix);
    await waitFor('download B to be back', async () => (await download(b.id)) === 302);
    expect(await links(caseId)).toMatchObject({ [urlA]: 'restored', [urlB]: 'restored', [mega]: 'retracted' });
    expect((await client.query(`SELECT status FROM cases WHERE id = $1`, [caseId])).rows[0].status).toBe('closed');

    await waitFor('the letters', () =>
      Promise.resolve(
        sink.to(complainant).filter((m) => m.parsed.subject?.includes('retraction is recorded')).length === 2 &&
          sink.to('copyright@mega.nz').some((m) => m.parsed.subject?.includes(reference)) &&
          sink.to(uploader).some((m) => m.parsed.subject?.includes('is back')),
      ),
    );
    const provider = sink.to('copyright@mega.nz').find((m) => m.parsed.subject?.includes(reference));
    expect(provider?.parsed.text).toContain(mega);
    // Neither the provider's nor the uploader's letter carries the complainant's status link.
    expect(provider?.raw).not.toContain(token);
    expect(sink.to(uploader).every((m) => !m.raw.includes(token))).toBe(true);
  });

  /** A case of the given complainant whose one download was taken down, and the receipt it was sent. */
  const takenDownFor = async (from: string) => {
    const page = await createCatalogPage(client);
    const url = `https://example.com/d/${page.downloads[0].id}`;
    const filed = await postJson(api.url, '/api/v1/notices', completeNoticeFrom(from, [url]));
    await drain(client, TEST_REDIS_URL, prefix);
    await waitFor('the download to be taken down', async () => (await download(page.downloads[0].id)) === 451);
    const receipt = await waitFor('the receipt', () =>
      Promise.resolve(sink.to(from).find((m) => m.parsed.subject?.includes(filed.body.reference))),
    );
    return {
      id: page.downloads[0].id,
      url,
      caseId: filed.body.caseId as string,
      reference: filed.body.reference as string,
      receipt,
    };
  };
  const retractByMail = async (from: string, inReplyTo: string | undefined, reference: string) => {
    const raw = await compose({
      from,
      to: INTAKE,
      subject: `Re: [${reference}] retraction`,
      messageId: `<retract-${uniqueId()}@${from.split('@')[1]}>`,
      inReplyTo,
      references: inReplyTo ? [inReplyTo] : [],
      text: 'We hereby retract our DMCA notice. Please restore the material.',
    });
    expect(await sendRaw(port, raw, { from, to: [INTAKE] })).toMatch(/^250/);
    await drain(client, TEST_REDIS_URL, prefix);
  };

  it("carries out the complainant's authenticated retraction by email at once", async () => {
    const from = `legal-${uniqueId()}@${DMARC_PASS_DOMAIN}`;
    const { id, caseId, reference, receipt } = await takenDownFor(from);
    await retractByMail(from, receipt.parsed.messageId, reference);
    await waitFor('the download to be back', async () => (await download(id)) === 302);
    expect((await client.query(`SELECT status FROM cases WHERE id = $1`, [caseId])).rows[0].status).toBe('closed');
    const notice = await client.query(
      `SELECT flags FROM notices WHERE case_id = $1 ORDER BY received_at DESC LIMIT 1`,
      [caseId],
    );
    expect(notice.rows[0].flags).toContain('retraction');
  });

  it('keeps an unauthenticated retraction by email for staff, who confirm it', async () => {
    const from = `legal-${uniqueId()}@holder.test`; // no DMARC policy: not authenticated
    const { id, caseId, reference, receipt } = await takenDownFor(from);
    await retractByMail(from, receipt.parsed.messageId, reference);
    const received = await waitFor('the retraction for staff', async () =>
      (await auditTrail(client, caseId)).find((e) => e.action === 'notice.retraction_received'),
    );
    expect(received.detail).toMatchObject({ whole: true, awaiting: 'DMARC did not pass (none)' });
    expect(await download(id)).toBe(451);

    const legal = await createStaff(client, 'legal');
    const res = await fetch(`${api.url}/api/v1/staff/cases/${reference}/retraction`, {
      method: 'POST',
      headers: { authorization: `Bearer ${legal.token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ reason: 'Confirmed by phone with the complainant' }),
    });
    expect(res.status).toBe(200);
    await drain(client, TEST_REDIS_URL, prefix);
    await waitFor('the download to be back', async () => (await download(id)) === 302);
    const retracted = (await auditTrailWithTexts(client, caseId)).find((e) => e.action === 'notice.retracted');
    expect(retracted?.actor).toBe(legal.id);
    expect(retracted?.detail.reasonText).toBe('Confirmed by phone with the complainant');
  });

  it('retracts through the status page, with a CSRF token, and refuses a post without one', async () => {
    const from = `legal-${uniqueId()}@holder.test`;
    const { id, url, caseId } = await takenDownFor(from);
    const token = (await client.query(`SELECT status_token FROM cases WHERE id = $1`, [caseId])).rows[0].status_token;
    const page = await fetch(`${api.url}/status/${token}`);
    const html = await page.text();
    expect(html).toContain('Retract your notice');
    const cookie = (page.headers.get('set-cookie') ?? '').split(';')[0];
    const csrf = /name="_csrf" value="([^"]+)"/.exec(html)?.[1] ?? '';
    const post = (fields: Record<string, string>, withCookie = true) =>
      fetch(`${api.url}/status/${token}/retract`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', ...(withCookie ? { cookie } : {}) },
        body: new URLSearchParams(fields).toString(),
      });
    const forged = await post({ _csrf: csrf, urls: url }, false);
    expect(forged.status).toBe(403);
    expect(await download(id)).toBe(451);
    const done = await post({ _csrf: csrf, urls: url, reason: 'Settled' });
    expect(done.status).toBe(200);
    expect(await done.text()).toContain('Retracted 1 link(s). 1 link(s) are being put back.');
    await drain(client, TEST_REDIS_URL, prefix);
    await waitFor('the download to be back', async () => (await download(id)) === 302);
  });
});
