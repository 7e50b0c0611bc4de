import type { INestApplicationContext } from '@nestjs/common';
import { createServer, type AddressInfo } from 'node:net';
import type { Client } from 'pg';
import { freshDatabase, isolatedDatabaseUrl } from './support/database';
import { type RunningApi, startApi, startWorker, uniquePrefix } from './support/harness';
import { SmtpSink } from './support/smtp-sink';

jest.setTimeout(60_000);

// Its own database, made afresh: /health reads every worker heartbeat of its database, and another file's worker
// (or one killed in an earlier run) must not be counted.
const DATABASE_URL = isolatedDatabaseUrl('health');

interface Health {
  status: string;
  postgres: string;
  redis: string;
  smtp: string;
  workers: string;
  outbox: string;
  details: {
    workers: {
      status: string;
      fresh?: number;
      staleAfterSeconds: number;
      seen?: { id: string; pid: number; ageSeconds: number }[];
    };
    outbox: { status: string; oldestWaitingSeconds?: number };
    smtp: { status: string; message?: string };
  };
}

async function health(api: RunningApi): Promise<{ status: number; body: Health }> {
  const res = await fetch(`${api.url}/health`);
  return { status: res.status, body: (await res.json()) as Health };
}

async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe('/health', () => {
  const sink = new SmtpSink();
  const prefix = uniquePrefix();
  let client: Client;
  let api: RunningApi;

  beforeAll(async () => {
    client = await freshDatabase('health');
    await sink.start();
    api = await startApi({ DATABASE_URL, SMTP_URL: sink.url, QUEUE_PREFIX: prefix });
  });

  afterAll(async () => {
    await api?.close();
    await sink.stop();
    await client?.end();
  });

  it('answers 503 while no worker has been heard from, though everything else is up', async () => {
    const { status, body } = await health(api);
    expect(status).toBe(503);
    expect(body).toMatchObject({
      status: 'degraded',
      postgres: 'up',
      redis: 'up',
      smtp: 'up',
      workers: 'down',
      outbox: 'up',
      details: { workers: { status: 'down', fresh: 0, staleAfterSeconds: 30, seen: [] } },
    });
  });

  it('answers 200 while a worker beats, lists it, and 503 again once it has stopped', async () => {
    let worker: INestApplicationContext | undefined = await startWorker({ DATABASE_URL, QUEUE_PREFIX: prefix });
    try {
      const { status, body } = await health(api);
      expect({ status, body }).toMatchObject({
        status: 200,
        body: { status: 'ok', postgres: 'up', redis: 'up', smtp: 'up', workers: 'up', outbox: 'up' },
      });
      expect(body.details.workers).toMatchObject({ status: 'up', fresh: 1 });
      expect(body.details.workers.seen).toEqual([
        expect.objectContaining({ pid: process.pid, ageSeconds: expect.any(Number) }),
      ]);
      const { rows } = await client.query(`SELECT id FROM worker_heartbeats`);
      expect(rows.map((r) => r.id)).toEqual([body.details.workers.seen![0].id]);

      await worker.close();
      worker = undefined;
      // A worker that stops takes its heartbeat with it.
      expect((await client.query(`SELECT id FROM worker_heartbeats`)).rowCount).toBe(0);
      expect((await health(api)).body).toMatchObject({ status: 'degraded', workers: 'down' });
    } finally {
      await worker?.close();
    }
  });

  it('counts a worker silent for longer than WORKER_HEARTBEAT_STALE_SECONDS as gone, and lists it still', async () => {
    await client.query(
      `INSERT INTO worker_heartbeats (id, hostname, pid, started_at, last_seen_at)
       VALUES ('gone:1:aaaaaa', 'gone', 1, now() - interval '2 hours', now() - interval '1 hour'),
              ('recent:2:bbbbbb', 'recent', 2, now() - interval '2 hours', now() - interval '31 seconds')`,
    );
    try {
      const stale = await health(api);
      expect(stale.status).toBe(503);
      expect(stale.body.details.workers).toMatchObject({ status: 'down', fresh: 0 });
      expect(stale.body.details.workers.seen?.map((w) => w.id)).toEqual(['recent:2:bbbbbb', 'gone:1:aaaaaa']);
      expect(stale.body.details.workers.seen?.[1].ageSeconds).toBeGreaterThanOrEqual(3600);

      await client.query(`UPDATE worker_heartbeats SET last_seen_at = now() - interval '29 seconds' WHERE pid = 2`);
      const fresh = await health(api);
      expect(fresh.status).toBe(200);
      expect(fresh.body.details.workers).toMatchObject({ status: 'up', fresh: 1 });
    } finally {
      await client.query(`DELETE FROM worker_heartbeats WHERE pid IN (1, 2)`);
    }
  });

  it("reports the age of the outbox's oldest waiting row", async () => {
    await client.query(`INSERT INTO worker_heartbeats (id, hostname, pid, started_at, last_seen_at)
                        VALUES ('beating:3:cccccc', 'beating', 3, now(), now())`);
    const { rows } = await client.query<{ id: string }>(
      `INSERT INTO outbox (queue, name, data, job_id, created_at)
       VALUES ('cases', 'route-case', '{}', $1, now() - interval '10 minutes') RETURNING id`,
      [`health-${prefix}`],
    );
    try {
      const { status, body } = await health(api);
      // An old row is reported, not a failure: a stalled relay shows as Redis or the workers being down.
      expect(status).toBe(200);
      expect(body.details.outbox.oldestWaitingSeconds).toBeGreaterThanOrEqual(600);
    } finally {
      await client.query(`DELETE FROM outbox WHERE id = $1`, [rows[0].id]);
      await client.query(`DELETE FROM worker_heartbeats WHERE pid = 3`);
    }
    expect((await health(api)).body.details.outbox.oldestWaitingSeconds).toBe(0);
  });

  it('/health/live answers 200 whatever the rest says', async () => {
    const res = await fetch(`${api.url}/health/live`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: 'ok' });
  });

  describe('with the SMTP server unreachable', () => {
    let down: RunningApi;
    beforeAll(async () => {
      down = await startApi({ DATABASE_URL, SMTP_URL: `smtp://127.0.0.1:${await closedPort()}` });
    });
    afterAll(async () => {
      await down?.close();
    });

    it('names SMTP, and gives the same answer from its cache to the next probe', async () => {
      await client.query(`INSERT INTO worker_heartbeats (id, hostname, pid, started_at, last_seen_at)
                          VALUES ('beating:4:dddddd', 'beating', 4, now(), now())`);
      try {
        const first = await health(down);
        expect(first.status).toBe(503);
        expect(first.body).toMatchObject({ status: 'degraded', postgres: 'up', smtp: 'down', workers: 'up' });
        expect(first.body.details.smtp.message).toMatch(/ECONNREFUSED|connect/i);
        const second = await health(down);
        expect(second.body.details.smtp).toMatchObject({ status: 'down', cachedResponse: true });
      } finally {
        await client.query(`DELETE FROM worker_heartbeats WHERE pid = 4`);
      }
    });
  });
});
