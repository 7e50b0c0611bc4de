/**
 * redis_100k: Redis' used memory after 100,000 URLs went through the system end to end (100 notices of 1,000 URLs
 * posted to the API, routed, swept, their letters sent to an SMTP sink, the worker's queues left to trim), against
 * the same Redis empty. The API, the worker and the sink run in processes of their own; Redis is the bench's own.
 */
import { Redis } from 'ioredis';
import { redisOptionsFromUrl } from '../src/core/queue/redis-options';
import { migrate } from './bench-database';
import { benchDatabaseUrl, figureScript, type Figures, fmt, QUICK } from './figures';
import { benchNotice } from './notice-fixture';
import { baseEnv, connectDb, emptyDatabase, freePort, redisUrl, startNode, startRedis, waitUntil } from './processes';

const NOTICES = QUICK ? 20 : 100;
const URLS_PER_NOTICE = 1_000;
const TARGET_MB = 50;

figureScript('redis_100k', async (): Promise<Figures> => {
  const url = benchDatabaseUrl('redis');
  await migrate(url);
  const db = await connectDb(url);
  await emptyDatabase(db);
  const redis = await startRedis();
  const admin = new Redis(redisOptionsFromUrl(redisUrl(redis)));
  const usedMb = async () => Number(/used_memory:(\d+)/.exec(await admin.info('memory'))![1]) / 1024 / 1024;
  const [apiPort, sinkPort] = [await freePort(), await freePort()];
  const env = {
    ...baseEnv(url, redisUrl(redis)),
    TAKEDOWN_DELAY_SECONDS: '0',
    SWEEP_EVERY_SECONDS: '2',
    SMTP_URL: `smtp://127.0.0.1:${sinkPort}`,
  };
  const sink = await startNode(
    'dist/bench/bare-smtp.js',
    { ...env, SMTP_LISTEN_PORT: String(sinkPort) },
    sinkPort,
    'the SMTP sink',
  );
  const api = await startNode('dist/src/main.js', { ...env, PORT: String(apiPort) }, apiPort, 'the API');
  const worker = await startNode('dist/src/worker.js', env, 0, 'the worker');
  const count = async (sql: string): Promise<number> => (await db.query<{ n: number }>(sql)).rows[0].n;
  try {
    await new Promise((r) => setTimeout(r, 2_000));
    const empty = await usedMb();
    const notice = benchNotice(0);
    const t0 = performance.now();
    for (let c = 0; c < NOTICES; c++) {
      const urls = Array.from({ length: URLS_PER_NOTICE }, (_, i) => `https://example.com/software/app-${c}-${i}`);
      const res = await fetch(`${api.url}/api/v1/notices`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ ...notice, infringingUrls: urls }),
      });
      if (res.status !== 201) throw new Error(`the API answered ${res.status}: ${await res.text()}`);
    }
    await waitUntil(
      'every case routed, every letter sent and the outbox empty',
      async () =>
        (await count(`SELECT count(*)::int AS n FROM cases WHERE routed_at IS NULL`)) === 0 &&
        (await count(`SELECT count(*)::int AS n FROM outbox WHERE dispatched_at IS NULL`)) === 0 &&
        (await count(`SELECT count(*)::int AS n FROM letters WHERE status = 'queued'`)) === 0 &&
        (await count(`SELECT count(*)::int AS n FROM takedowns WHERE status = 'pending'`)) === 0,
      600_000,
    );
    const seconds = (performance.now() - t0) / 1000;
    await new Promise((r) => setTimeout(r, 2_000));
    const ours = await usedMb();
    const letters = await count(`SELECT count(*)::int AS n FROM letters`);
    console.log(
      `redis_100k: ${fmt(ours)} MB after ${NOTICES * URLS_PER_NOTICE} URLs (${letters} letters, ${fmt(seconds)} s), empty ${fmt(empty)} MB`,
    );
    return {
      redis_100k: {
        ours,
        floor: empty,
        unit: 'MB',
        ratio: ours / empty,
        target: TARGET_MB,
        met: ours <= TARGET_MB,
        target_on: 'ours',
        urls: NOTICES * URLS_PER_NOTICE,
        notices: NOTICES,
        letters,
        seconds,
        rounds: 1,
      },
    };
  } finally {
    await Promise.all([api.stop(), worker.stop(), sink.stop()]);
    admin.disconnect();
    await redis.stop();
    await db.end();
  }
});
