import 'reflect-metadata';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import type { Client } from 'pg';
import { DataSource } from 'typeorm';
import { dataSourceOptions } from '../src/core/database/data-source-options';
import { JobName, QueueName } from '../src/core/queue/jobs';
import { OutboxRelayService } from '../src/core/queue/outbox-relay.service';
import { Queues } from '../src/core/queue/queues';
import { redisOptionsFromUrl } from '../src/core/queue/redis-options';
import { freshDatabase, isolatedDatabaseUrl } from './support/database';
import { TEST_REDIS_URL } from './support/env';
import { uniquePrefix } from './support/harness';

jest.setTimeout(60_000);

const ROWS = 1_200; // three batches of the relay's 500: two full, one short

/**
 * The outbox relay against a real Postgres and a real Redis: batches claimed ahead while the one before is in Redis,
 * every row sent once, and a failure in Redis half-way leaving the failed run counted, the batch claimed behind it
 * untouched, and no row locked.
 */
describe('OutboxRelayService', () => {
  const prefix = uniquePrefix();
  const connection = redisOptionsFromUrl(TEST_REDIS_URL);
  let client: Client;
  let dataSource: DataSource;
  let queues: Record<QueueName, Queue>;
  let redis: Redis;

  beforeAll(async () => {
    client = await freshDatabase('relay');
    dataSource = await new DataSource(dataSourceOptions(isolatedDatabaseUrl('relay'), 6)).initialize();
    queues = Object.fromEntries(
      Object.values(QueueName).map((name) => [name, new Queue(name, { connection, prefix })]),
    ) as Record<QueueName, Queue>;
    redis = new Redis(connection);
  });

  afterAll(async () => {
    await Promise.all(Object.values(queues ?? {}).map((q) => q.obliterate({ force: true }).then(() => q.close())));
    redis?.disconnect();
    await dataSource?.destroy();
    await client?.end();
  });

  beforeEach(async () => {
    await client.query(`DELETE FROM outbox`);
    await Promise.all(Object.values(queues).map((q) => q.obliterate({ force: true })));
    // Runs of two queues, so that a batch holds several addBulk calls.
    await client.query(
      `INSERT INTO outbox (queue, name, data, job_id)
       SELECT CASE WHEN ((i - 1) / 100) % 2 = 0 THEN $1 ELSE $2 END, $3, jsonb_build_object('caseId', gen_random_uuid()),
              'relay-test.' || i
       FROM generate_series(1, $4) AS i`,
      [QueueName.Cases, QueueName.Mail, JobName.RouteCase, ROWS],
    );
  });

  const relayWith = (wrap?: (queue: Queue) => Queue) =>
    new OutboxRelayService(
      dataSource,
      new Queues(
        ...([QueueName.Cases, QueueName.Takedowns, QueueName.Mail, QueueName.Inbound, QueueName.Privacy].map((n) =>
          wrap ? wrap(queues[n]) : queues[n],
        ) as [Queue, Queue, Queue, Queue, Queue]),
      ),
    );

  const jobsIn = async () =>
    (await queues.cases.getJobCountByTypes('waiting', 'prioritized', 'delayed')) +
    (await queues.mail.getJobCountByTypes('waiting', 'prioritized', 'delayed'));

  const outbox = async () =>
    (
      await client.query<{ dispatched: number; attempts: number; errors: number }>(
        `SELECT count(*) FILTER (WHERE dispatched_at IS NOT NULL)::int AS dispatched,
                coalesce(sum(attempts), 0)::int AS attempts, count(last_error)::int AS errors FROM outbox`,
      )
    ).rows[0];

  /** No row is left locked: every transaction the relay opened was closed. */
  const noRowLocked = async () => {
    await client.query('BEGIN');
    try {
      const { rowCount } = await client.query(`SELECT id FROM outbox FOR UPDATE NOWAIT`);
      expect(rowCount).toBe(ROWS);
    } finally {
      await client.query('ROLLBACK');
    }
  };

  it('sends every row once, batch after batch, and marks them dispatched', async () => {
    const result = await relayWith().relayOnce();
    expect(result).toEqual({ sent: ROWS, more: false, error: undefined });
    expect(await jobsIn()).toBe(ROWS);
    expect(await outbox()).toEqual({ dispatched: ROWS, attempts: 0, errors: 0 });
    await noRowLocked();
    expect(await relayWith().relayOnce()).toEqual({ sent: 0, more: false, error: undefined });
  });

  it('stops at a failure in Redis: the failed run is counted, the batch claimed behind it waits untouched', async () => {
    let calls = 0;
    const failing = relayWith((queue) => {
      const wrapped = Object.create(queue) as Queue;
      wrapped.addBulk = (jobs) => {
        calls++;
        // The second batch's first run: the first batch (five runs of 100) is in Redis by then.
        if (calls === 6) return Promise.reject(new Error('Connection is closed.'));
        return queue.addBulk(jobs);
      };
      return wrapped;
    });
    const result = await failing.relayOnce();
    expect(result).toEqual({ sent: 500, more: false, error: 'Connection is closed.' });
    expect(await outbox()).toEqual({ dispatched: 500, attempts: 100, errors: 100 });
    expect(await jobsIn()).toBe(500);
    await noRowLocked();

    // Redis back: the next relay sends the rest, and nothing twice.
    const again = await relayWith().relayOnce();
    expect(again.sent).toBe(ROWS - 500);
    expect(await jobsIn()).toBe(ROWS);
    expect((await outbox()).dispatched).toBe(ROWS);
  });

  it('shares the outbox between relays running at once, each row sent by one of them', async () => {
    const results = await Promise.all([relayWith().relayOnce(), relayWith().relayOnce(), relayWith().relayOnce()]);
    const sent = results.reduce((n, r) => n + r.sent, 0);
    const rest = (await relayWith().relayOnce()).sent;
    expect(sent + rest).toBe(ROWS);
    expect(await jobsIn()).toBe(ROWS);
    expect((await outbox()).dispatched).toBe(ROWS);
    expect(results.every((r) => r.error === undefined)).toBe(true);
    await noRowLocked();
  });
});
