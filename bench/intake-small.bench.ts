/**
 * intake_small: 1-URL JSON notices posted by 10 and by 50 keep-alive clients to the API in its own process
 * (`node dist/src/main.js`), against two floors in the same round: the same rows written by raw `pg` from as many
 * clients over a pool of the API's size, and bare Express + one INSERT per request (floor_http).
 */
import 'reflect-metadata';
import { Pool } from 'pg';
import { checkNotice } from '../src/checklist';
import { loadProviderRegistry, sortLinks } from '../src/links';
import { migrate } from './bench-database';
import { benchDatabaseUrl, compare, figureScript, fmt, inRounds, QUICK, ROUNDS, type Figures } from './figures';
import { floorRows, writeFloor } from './floor';
import { type LoadResult, opLoad, postLoad } from './load';
import { benchNotice } from './notice-fixture';
import { baseEnv, connectDb, emptyDatabase, freePort, startNode, startRedis, redisUrl } from './processes';

const SECONDS = Number(process.env.BENCH_INTAKE_SECONDS ?? (QUICK ? 1.5 : 3));
const POOL = Number(process.env.DATABASE_POOL_SIZE ?? 10);
const TARGET_RATIO = 0.8;
const TARGET_P99_MS = 50;

figureScript('intake_small', async (): Promise<Figures> => {
  const url = benchDatabaseUrl('intake');
  await migrate(url);
  const db = await connectDb(url);
  await emptyDatabase(db);
  const redis = await startRedis();
  const env = { ...baseEnv(url, redisUrl(redis)), DATABASE_POOL_SIZE: String(POOL) };
  const [apiPort, httpPort] = [await freePort(), await freePort()];
  const api = await startNode('dist/src/main.js', { ...env, PORT: String(apiPort) }, apiPort, 'the API');
  const bare = await startNode('dist/bench/bare-http.js', { ...env, PORT: String(httpPort) }, httpPort, 'bare Express');
  const pool = new Pool({ connectionString: url, max: POOL });

  const template = benchNotice(1);
  const urlOf = (n: number) => `https://example.com/d/${200_000 + n}`;
  const body = (n: number) => JSON.stringify({ ...template, infringingUrls: [urlOf(n)] });
  const registry = loadProviderRegistry();
  const links = sortLinks(template, { siteDomains: ['example.com'], registry });
  const rows = floorRows(template, checkNotice({ structured: template }), links);
  const floorOp = async (n: number): Promise<void> => {
    const client = await pool.connect();
    try {
      await writeFloor(client, { ...rows, links: { ...rows.links, url: [urlOf(n)], raw: [urlOf(n)] } });
    } finally {
      client.release();
    }
  };
  const ms = SECONDS * 1000;
  const checked = (what: string, r: LoadResult): LoadResult => {
    if (r.failed > 0) throw new Error(`${what}: ${r.failed} of ${r.done + r.failed} failed, first ${r.firstFailure}`);
    return r;
  };
  const runs: Record<string, LoadResult[]> = {
    ours10: [],
    floor10: [],
    http10: [],
    ours50: [],
    floor50: [],
    http50: [],
  };
  try {
    // Warm-up: the API's first requests compile its paths; the floors' connect their pools.
    await postLoad(`${api.url}/api/v1/notices`, 10, 1000, body);
    await postLoad(`${bare.url}/api/v1/notices`, 10, 500, body);
    await opLoad(10, 500, floorOp);
    const rounds = await inRounds(ROUNDS, async () => {
      await emptyDatabase(db);
      for (const c of [10, 50]) {
        runs[`ours${c}`].push(checked(`ours at ${c}`, await postLoad(`${api.url}/api/v1/notices`, c, ms, body)));
        runs[`floor${c}`].push(await opLoad(c, ms, floorOp));
        runs[`http${c}`].push(checked(`floor_http at ${c}`, await postLoad(`${bare.url}/api/v1/notices`, c, ms, body)));
      }
      const last = (k: string) => runs[k][runs[k].length - 1];
      return { ours: last('ours10').rate, floor: last('floor10').rate };
    });
    const at10 = compare(rounds);
    const at50 = compare(runs.ours50.map((o, i) => ({ ours: o.rate, floor: runs.floor50[i].rate })));
    const http10 = compare(runs.ours10.map((o, i) => ({ ours: o.rate, floor: runs.http10[i].rate })));
    const http50 = compare(runs.ours50.map((o, i) => ({ ours: o.rate, floor: runs.http50[i].rate })));
    const med = (k: string, f: (r: LoadResult) => number) =>
      compare(runs[k].map((r) => ({ ours: f(r), floor: 1 }))).ours;
    const p99 = med('ours10', (r) => r.p99);
    const p99At50 = med('ours50', (r) => r.p99);
    console.log(
      `intake_small: ours ${fmt(at10.ours)}/s p99 ${fmt(p99)} ms at 10, ${fmt(at50.ours)}/s p99 ${fmt(p99At50)} ms at 50;` +
        ` raw pg ${fmt(at10.floor)}/s, ${fmt(at50.floor)}/s; bare Express ${fmt(http10.floor)}/s, ${fmt(http50.floor)}/s`,
    );
    return {
      intake_small: {
        ours: at10.ours,
        floor: at10.floor,
        unit: 'notices/s',
        ratio: at10.ratio,
        target: TARGET_RATIO,
        met: at10.ratio >= TARGET_RATIO && p99 <= TARGET_P99_MS && at50.ours >= at10.ours,
        p99_ms: p99,
        p99_target_ms: TARGET_P99_MS,
        ours_at_50: at50.ours,
        p99_ms_at_50: p99At50,
        floor_at_50: at50.floor,
        ratio_at_50: at50.ratio,
        floor_http: http10.floor,
        ratio_http: http10.ratio,
        floor_http_at_50: http50.floor,
        ratio_http_at_50: http50.ratio,
        pool_size: POOL,
        seconds_per_run: SECONDS,
        rounds: ROUNDS,
      },
    };
  } finally {
    await pool.end();
    await Promise.all([api.stop(), bare.stop(), redis.stop()]);
    await db.end();
  }
});
