import type { INestApplicationContext } from '@nestjs/common';
import type { Client } from 'pg';
import { completeNotice, createCatalogPage, postJson } from './support/factories';
import { db, type RunningApi, startApi, startWorker, uniquePrefix, waitFor } from './support/harness';
import { ThrowawayRedis } from './support/redis-server';

jest.setTimeout(90_000);

describe('while Redis is down', () => {
  let redis: ThrowawayRedis;
  let api: RunningApi;
  let worker: INestApplicationContext;
  let client: Client;

  beforeAll(async () => {
    client = await db();
    redis = await ThrowawayRedis.start();
    const env = { REDIS_URL: redis.url, QUEUE_PREFIX: uniquePrefix() };
    api = await startApi(env);
    worker = await startWorker(env);
  });

  afterAll(async () => {
    await redis?.start(); // a worker closes cleanly only when it can reach Redis
    await worker?.close();
    await api?.close();
    await redis?.stop();
    await client?.end();
  });

  const takedownStatus = async (caseId: string): Promise<string | undefined> =>
    (await client.query(`SELECT status FROM takedowns WHERE case_id = $1`, [caseId])).rows[0]?.status;

  it('notices are still accepted, and their jobs run once Redis is back', async () => {
    const page = await createCatalogPage(client);
    const url = `https://example.com/d/${page.downloads[0].id}`;

    // Other files' cases may still be routing and adding outbox rows of their own, and the relay stops at the first
    // row it cannot send: the relay's failed attempts are counted over every waiting row, ours among them.
    await redis.stop();
    const res = await postJson(api.url, '/api/v1/notices', completeNotice([url]));
    expect(res.status).toBe(201);
    const failedAttempts = async (): Promise<number> =>
      (
        await client.query(
          `SELECT coalesce(sum(attempts), 0)::int AS n FROM outbox WHERE dispatched_at IS NULL AND last_error IS NOT NULL`,
        )
      ).rows[0].n;
    const before = await failedAttempts();

    // The work is durable in the outbox: the relay tries, fails, and keeps the row.
    await waitFor('the relay to try and fail', async () => (await failedAttempts()) > before);
    const { rows } = await client.query(`SELECT dispatched_at FROM outbox WHERE job_id = $1`, [
      `route-case.${res.body.caseId}`,
    ]);
    expect(rows).toEqual([{ dispatched_at: null }]);
    expect(await takedownStatus(res.body.caseId)).toBeUndefined();
    expect((await fetch(`${api.url}/d/${page.downloads[0].id}`, { redirect: 'manual' })).status).toBe(302);

    await redis.start();
    await waitFor(
      'the takedown to run after Redis came back',
      async () => (await takedownStatus(res.body.caseId)) === 'done',
      45_000,
    );
    expect((await fetch(`${api.url}/d/${page.downloads[0].id}`, { redirect: 'manual' })).status).toBe(451);
    const done = await client.query(
      `SELECT count(*)::int AS n FROM audit_events WHERE case_id = $1 AND action = 'takedowns.done'`,
      [res.body.caseId],
    );
    expect(done.rows[0].n).toBe(1);
  });
});
