import type { INestApplicationContext } from '@nestjs/common';
import type { Client } from 'pg';
import { TEST_REDIS_URL } from './support/env';
import { completeNoticeFrom, createCatalogPage, postJson } from './support/factories';
import {
  auditTrail,
  db,
  drain,
  type RunningApi,
  startApi,
  startWorker,
  uniqueId,
  uniquePrefix,
  waitFor,
} from './support/harness';
import { SmtpSink } from './support/smtp-sink';

jest.setTimeout(90_000);

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
  let worker: INestApplicationContext;
  let sink: SmtpSink;

  beforeAll(async () => {
    client = await db();
    sink = await new SmtpSink().start();
    const env = { QUEUE_PREFIX: prefix, SMTP_URL: sink.url };
    api = await startApi(env);
    worker = await startWorker(env);
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
});
