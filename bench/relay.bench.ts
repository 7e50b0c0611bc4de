/**
 * relay: the outbox relay moving 20,000 rows into BullMQ (OutboxRelayService.relayOnce until the outbox is empty),
 * against `addBulk` of the same jobs, in batches of the relay's size, with the same ids and options, and no database.
 */
import 'reflect-metadata';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { DataSource } from 'typeorm';
import { dataSourceOptions } from '../src/core/database/data-source-options';
import { JOB_RETRY, JobName, QueueName } from '../src/core/queue/jobs';
import { OutboxRelayService } from '../src/core/queue/outbox-relay.service';
import { Queues } from '../src/core/queue/queues';
import { redisOptionsFromUrl } from '../src/core/queue/redis-options';
import { migrate } from './bench-database';
import { benchDatabaseUrl, compare, figureScript, type Figures, inRounds, QUICK, ROUNDS } from './figures';
import { connectDb, emptyDatabase, redisUrl, startRedis } from './processes';

const JOBS = QUICK ? 5_000 : 20_000;
const BATCH = 500;
const TARGET_RATIO = 0.8;

figureScript('relay', async (): Promise<Figures> => {
  const url = benchDatabaseUrl('relay');
  await migrate(url);
  const db = await connectDb(url);
  await emptyDatabase(db);
  const redis = await startRedis();
  const connection = redisOptionsFromUrl(redisUrl(redis));
  const admin = new Redis(connection);
  const queueOf = (name: QueueName) => new Queue(name, { connection, prefix: 'bench' });
  const q = Object.values(QueueName).map(queueOf);
  const byName = Object.fromEntries(q.map((queue) => [queue.name, queue])) as Record<QueueName, Queue>;
  const queues = new Queues(byName.cases, byName.takedowns, byName.mail, byName.inbound, byName.privacy);
  const dataSource = await new DataSource(dataSourceOptions(url, 2)).initialize();
  const relay = new OutboxRelayService(dataSource, queues);
  await db.query(
    `INSERT INTO outbox (queue, name, data, job_id)
     SELECT $1, $2, jsonb_build_object('caseId', gen_random_uuid()), $2 || '.' || i FROM generate_series(1, $3) AS i`,
    [QueueName.Cases, JobName.RouteCase, JOBS],
  );
  const { rows } = await db.query<{ name: string; data: Record<string, unknown>; job_id: string }>(
    `SELECT name, data, job_id FROM outbox ORDER BY id`,
  );
  const jobsIn = () => byName.cases.getJobCountByTypes('waiting', 'prioritized', 'delayed');
  try {
    const rounds = await inRounds(ROUNDS, async () => {
      await admin.flushall();
      await db.query(`UPDATE outbox SET dispatched_at = NULL, attempts = 0, last_error = NULL`);
      // Each reset leaves 20,000 dead rows, and the relay's claim walks them in the index. A live outbox is vacuumed
      // by autovacuum (RETAIN_DISPATCHED_DAYS prunes it); a bench machine may have autovacuum off, so the bench does
      // it, untimed, to time every round against the same table.
      await db.query(`VACUUM (ANALYZE) outbox`);
      const t0 = performance.now();
      for (;;) {
        const { sent, error } = await relay.relayOnce();
        if (error) throw new Error(`the relay failed: ${error}`);
        if (sent === 0) break;
      }
      const oursMs = performance.now() - t0;
      if ((await jobsIn()) !== JOBS) throw new Error(`the relay left ${await jobsIn()} jobs, expected ${JOBS}`);
      await admin.flushall();
      const t1 = performance.now();
      for (let i = 0; i < rows.length; i += BATCH) {
        await byName.cases.addBulk(
          rows
            .slice(i, i + BATCH)
            .map((r) => ({ name: r.name, data: r.data, opts: { ...JOB_RETRY, jobId: r.job_id } })),
        );
      }
      const floorMs = performance.now() - t1;
      if ((await jobsIn()) !== JOBS) throw new Error(`addBulk left ${await jobsIn()} jobs, expected ${JOBS}`);
      return { ours: (JOBS / oursMs) * 1000, floor: (JOBS / floorMs) * 1000 };
    });
    const { ours, floor, ratio } = compare(rounds);
    return {
      relay: {
        ours,
        floor,
        unit: 'jobs/s',
        ratio,
        target: TARGET_RATIO,
        met: ratio >= TARGET_RATIO,
        jobs: JOBS,
        batch: BATCH,
        rounds: ROUNDS,
      },
    };
  } finally {
    await Promise.all(q.map((queue) => queue.close()));
    admin.disconnect();
    await dataSource.destroy();
    await db.end();
    await redis.stop();
  }
});
