import 'reflect-metadata';
import { Client } from 'pg';
import { migrateDatabase } from '../support/database';
import { TEST_REDIS_URL } from '../support/env';
import { reportFault } from '../support/fault-report';
import { completeNoticeFrom } from '../support/factories';
import { type RunningApi, startApi, uniqueId, uniquePrefix, waitFor } from '../support/harness';
import { ThrowawayPostgres } from '../support/postgres-cluster';
import { AppProcess } from '../support/processes';
import { SmtpSink } from '../support/smtp-sink';

jest.setTimeout(180_000);

const POSTERS = 4;
const POSTING_MS = 8_000;

/**
 * Notices are posted without pause while the test's own Postgres cluster is restarted (pg_ctl restart -m fast: every
 * session ended, transactions in flight rolled back). Every notice answered 201 is there afterwards and routed;
 * every other answer is a 5xx, never a 201 for a notice that is not there and never a dropped connection; the API
 * and the worker (a process of its own) carry on by themselves.
 */
describe('Postgres restarted while notices are posted', () => {
  const prefix = uniquePrefix();
  const sink = new SmtpSink();
  let pg: ThrowawayPostgres;
  let client: Client;
  let api: RunningApi;
  let worker: AppProcess | undefined;

  beforeAll(async () => {
    pg = await ThrowawayPostgres.start();
    const url = pg.url('takedown');
    await migrateDatabase(url);
    await sink.start();
    const env = {
      DATABASE_URL: url,
      REDIS_URL: TEST_REDIS_URL,
      QUEUE_PREFIX: prefix,
      SMTP_URL: sink.url,
      TAKEDOWN_DELAY_SECONDS: '3600',
      DATABASE_CONNECT_TIMEOUT_MS: '2000',
    };
    api = await startApi(env);
    worker = await AppProcess.worker('faults-postgres-worker', env);
    client = new Client({ connectionString: url });
    client.on('error', () => undefined); // the restart ends this session too
    await client.connect();
  });

  afterAll(async () => {
    await worker?.kill();
    await api?.close();
    await client?.end().catch(() => undefined);
    await sink.stop();
    await pg?.stop();
  });

  it('loses no notice that got a 201, answers the rest 5xx, and recovers by itself', async () => {
    const run = uniqueId();
    const accepted: string[] = [];
    const statuses = new Map<number, number>();
    const dropped: string[] = [];
    const end = Date.now() + POSTING_MS;
    let n = 0;
    const post = async (): Promise<void> => {
      while (Date.now() < end) {
        const i = n++;
        try {
          const res = await fetch(`${api.url}/api/v1/notices`, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify(completeNoticeFrom(`pg-${run}-${i}@example.org`, [`https://mega.nz/file/${run}${i}`])),
          });
          const body = (await res.json()) as { caseId?: string };
          statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
          if (res.status === 201) accepted.push(body.caseId!);
        } catch (error) {
          dropped.push(String(error));
        }
      }
    };
    const posting = Promise.all(Array.from({ length: POSTERS }, post));
    await new Promise((r) => setTimeout(r, 2_000));
    const restartAt = Date.now();
    await pg.restart();
    const restartMs = Date.now() - restartAt;
    await posting;

    const failed = [...statuses].filter(([status]) => status !== 201);
    expect(dropped).toEqual([]);
    for (const [status] of failed) expect(status).toBeGreaterThanOrEqual(500);
    // The restart was felt: some notices were refused while it lasted, and many accepted on either side.
    expect(failed.length).toBeGreaterThan(0);
    expect(accepted.length).toBeGreaterThan(POSTERS * 2);

    await client.end().catch(() => undefined);
    client = new Client({ connectionString: pg.url('takedown') });
    await client.connect();
    const { rows } = await client.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM cases WHERE id = ANY($1::uuid[])`,
      [accepted],
    );
    expect(rows[0].n).toBe(accepted.length);
    const recoveredAt = Date.now();
    await waitFor(
      'the worker to route every accepted notice',
      async () => {
        const { rows: routed } = await client.query<{ n: number }>(
          `SELECT count(*)::int AS n FROM cases WHERE id = ANY($1::uuid[]) AND routed_at IS NOT NULL`,
          [accepted],
        );
        return routed[0].n === accepted.length;
      },
      90_000,
    );
    const routedMs = Date.now() - recoveredAt;
    expect(worker?.running).toBe(true);

    reportFault('postgres_restart', {
      posted: n,
      accepted: accepted.length,
      acceptedLost: 0,
      refused5xx: failed.reduce((sum, [, count]) => sum + count, 0),
      statuses: JSON.stringify(Object.fromEntries(statuses)),
      droppedConnections: dropped.length,
      restartMs,
      routedAfterMs: routedMs,
    });
  });
});
