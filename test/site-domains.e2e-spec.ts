import type { INestApplicationContext } from '@nestjs/common';
import type { Client } from 'pg';
import { TEST_REDIS_URL } from './support/env';
import { completeNotice, createCatalogPage, postJson } from './support/factories';
import { db, drain, type RunningApi, startApi, startWorker, uniqueId, uniquePrefix, waitFor } from './support/harness';

jest.setTimeout(60_000);

// A staging or intranet site: its domains have no public suffix, and its links are still ours to take down.
describe('a site on domains without a public suffix', () => {
  const prefix = uniquePrefix();
  const env = { QUEUE_PREFIX: prefix, SITE_DOMAINS: 'softhub.test,downloads.internal' };
  let api: RunningApi;
  let worker: INestApplicationContext;
  let client: Client;

  beforeAll(async () => {
    client = await db();
    api = await startApi(env);
    worker = await startWorker(env);
  });

  afterAll(async () => {
    await worker?.close();
    await api?.close();
    await client?.end();
  });

  it("takes down its links, refers a locker's file and leaves the locker's home page alone", async () => {
    const page = await createCatalogPage(client, {
      targets: [
        `https://files.example-mirror.org/${uniqueId()}.zip`,
        `https://files.example-mirror.org/${uniqueId()}.zip`,
      ],
    });
    const [first, second] = page.downloads;
    const ours = `https://softhub.test/d/${first.id}`;
    const mirror = `https://cdn.downloads.internal/d/${second.id}`;
    const locker = `https://dbree.org/v/${uniqueId()}`;
    const lookalike = `https://softhub.test.evil.net/d/${first.id}`;

    const res = await postJson(
      api.url,
      '/api/v1/notices',
      completeNotice([ours, mirror, locker, 'https://rapidgator.net/', lookalike]),
    );
    expect(res.status).toBe(201);
    const byUrl = Object.fromEntries(res.body.links.map((l: { url: string }) => [l.url, l]));
    expect(byUrl[ours]).toMatchObject({ classification: 'internal', action: 'takedown' });
    expect(byUrl[mirror]).toMatchObject({ classification: 'internal', action: 'takedown' });
    expect(byUrl[locker]).toMatchObject({ classification: 'external_disk', provider: 'dbree', action: 'referral' });
    expect(byUrl['https://rapidgator.net/']).toMatchObject({ classification: 'external_other', action: 'none' });
    expect(byUrl[lookalike]).toMatchObject({ classification: 'external_other', action: 'none' });

    await drain(client, TEST_REDIS_URL, prefix);
    const caseId = res.body.caseId;
    await waitFor(
      'the takedowns to be done',
      async () =>
        (
          await client.query(`SELECT count(*)::int AS n FROM takedowns WHERE case_id = $1 AND status = 'done'`, [
            caseId,
          ])
        ).rows[0].n === 2 || undefined,
    );
    expect((await fetch(`${api.url}/d/${first.id}`, { redirect: 'manual' })).status).toBe(451);
    expect((await fetch(`${api.url}/d/${second.id}`, { redirect: 'manual' })).status).toBe(451);

    // DBREE publishes no copyright channel: the referral names it without one.
    const referrals = await client.query(`SELECT provider, link_count, channel FROM referrals WHERE case_id = $1`, [
      caseId,
    ]);
    expect(referrals.rows).toEqual([{ provider: 'dbree', link_count: 1, channel: {} }]);
  });
});
