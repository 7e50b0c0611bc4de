/**
 * sweep: the due sweep (TakedownSweepService.sweep, as the worker's job runs it) removing 10,000 due catalog links of
 * 100 cases, each case's links uploaded by 10 uploaders, so that a sweep writes 100 complainant and 1,000 uploader
 * letters. Against one batched UPDATE marking the same takedowns done and their links taken down. Each round starts
 * from a copy (CREATE DATABASE ... TEMPLATE) of one database seeded through the real API and worker.
 */
import 'reflect-metadata';
import { Module } from '@nestjs/common';
import { DiscoveryModule, NestFactory } from '@nestjs/core';
import { Client } from 'pg';
import { CoreModule } from '../src/core/core.module';
import { WorkerShutdown } from '../src/core/queue/worker-shutdown';
import { LettersModule } from '../src/letters/letters.module';
import { SiteModule } from '../src/site/site.module';
import { StrikesModule } from '../src/strikes/strikes.module';
import { TakedownSweepService } from '../src/takedowns/takedown-sweep.service';
import { migrate } from './bench-database';
import { benchDatabaseUrl, compare, figureScript, type Figures, inRounds, QUICK, ROUNDS } from './figures';
import { benchNotice } from './notice-fixture';
import { baseEnv, connectDb, emptyDatabase, freePort, redisUrl, startNode, startRedis, waitUntil } from './processes';

const LINKS = QUICK ? 2_000 : 10_000;
const LINKS_PER_CASE = 100;
const DOWNLOADS_PER_PAGE = 10;
const CASES = LINKS / LINKS_PER_CASE;
const PAGES = LINKS / DOWNLOADS_PER_PAGE;
const TARGET_RATIO = 0.3;
const FIRST_ID = 500_000;

/** What the sweep needs and nothing that runs on its own: no queues, no relay, no schedules. */
@Module({
  imports: [CoreModule, LettersModule, SiteModule, StrikesModule, DiscoveryModule],
  providers: [TakedownSweepService, WorkerShutdown],
})
class SweepBenchModule {}

const withDatabase = (url: string, name: string): string => {
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
};

/** The catalog, then 100 notices filed through the API and routed by the worker, their takedowns then made due. */
async function seed(url: string): Promise<void> {
  await migrate(url);
  const db = await connectDb(url);
  try {
    await emptyDatabase(db);
    await db.query(
      `INSERT INTO software_pages (slug, title, uploader_email, uploader_id)
       SELECT 'bench-app-' || p, 'Bench App ' || p, 'uploader-' || p || '@uploads.example.net', 'u-' || p
       FROM generate_series(0, $1 - 1) AS p`,
      [PAGES],
    );
    await db.query(
      `INSERT INTO download_links (id, page_id, label, target_url, target_url_normalized)
       SELECT $1::bigint + p.n * $2 + k, p.id, 'Download ' || k, 'https://files.example-mirror.org/' || p.n || '-' || k,
              'https://files.example-mirror.org/' || p.n || '-' || k
       FROM (SELECT id, substring(slug FROM 11)::int AS n FROM software_pages) p, generate_series(0, $2 - 1) AS k`,
      [FIRST_ID, DOWNLOADS_PER_PAGE],
    );
    const redis = await startRedis();
    const env = {
      ...baseEnv(url, redisUrl(redis)),
      TAKEDOWN_DELAY_SECONDS: '3600',
      SWEEP_EVERY_SECONDS: '3600',
      SMTP_URL: `smtp://127.0.0.1:${await freePort()}`,
    };
    const port = await freePort();
    const api = await startNode('dist/src/main.js', { ...env, PORT: String(port) }, port, 'the API');
    const worker = await startNode('dist/src/worker.js', env, 0, 'the worker');
    try {
      const notice = benchNotice(0);
      for (let c = 0; c < CASES; c++) {
        const urls = Array.from(
          { length: LINKS_PER_CASE },
          (_, i) => `https://example.com/d/${FIRST_ID + c * LINKS_PER_CASE + i}`,
        );
        const res = await fetch(`${api.url}/api/v1/notices`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ ...notice, infringingUrls: urls }),
        });
        if (res.status !== 201) throw new Error(`seeding: the API answered ${res.status}: ${await res.text()}`);
      }
      await waitUntil(
        'the seeded cases to be routed',
        async () => {
          const { rows } = await db.query<{ n: number }>(
            `SELECT count(*)::int AS n FROM takedowns WHERE status = 'pending'`,
          );
          return rows[0].n === LINKS;
        },
        300_000,
      );
    } finally {
      await Promise.all([api.stop(), worker.stop()]);
      await redis.stop();
    }
    await db.query(`UPDATE takedowns SET due_at = now() - interval '1 minute'`);
    // As autovacuum would have by the time takedowns fall due (it is off on some test machines): the seeding's dead
    // row versions gone and statistics taken, for ours and the floor alike.
    await db.query(`VACUUM ANALYZE`);
  } finally {
    await db.end();
  }
}

async function copy(admin: Client, from: string, to: string): Promise<void> {
  await admin.query(`DROP DATABASE IF EXISTS "${to}"`);
  await admin.query(`CREATE DATABASE "${to}" TEMPLATE "${from}"`);
}

async function oursRound(url: string): Promise<number> {
  process.env.DATABASE_URL = url;
  const context = await NestFactory.createApplicationContext(SweepBenchModule, { logger: ['error'] });
  try {
    const sweep = context.get(TakedownSweepService);
    const t0 = performance.now();
    const result = await sweep.sweep();
    const ms = performance.now() - t0;
    if (result.done !== LINKS) throw new Error(`the sweep removed ${result.done} links, expected ${LINKS}`);
    return (LINKS / ms) * 1000;
  } finally {
    await context.close();
  }
}

async function floorRound(url: string): Promise<number> {
  const db = await connectDb(url);
  try {
    const t0 = performance.now();
    const { rowCount } = await db.query(
      `WITH t AS (
         UPDATE takedowns SET status = 'done', done_at = now(), attempts = attempts + 1
         WHERE status = 'pending' AND due_at <= now() RETURNING reported_link_id)
       UPDATE reported_links l SET status = 'taken_down' FROM t WHERE l.id = t.reported_link_id`,
    );
    const ms = performance.now() - t0;
    if (rowCount !== LINKS) throw new Error(`the floor updated ${rowCount} links, expected ${LINKS}`);
    return (LINKS / ms) * 1000;
  } finally {
    await db.end();
  }
}

figureScript('sweep', async (): Promise<Figures> => {
  const seedUrl = benchDatabaseUrl(`sweep_seed_${LINKS}_v2`); // v2: vacuumed once seeded
  const seedName = new URL(seedUrl).pathname.slice(1);
  const admin = await connectDb(withDatabase(seedUrl, 'postgres'));
  const { rows } = await admin.query(`SELECT 1 FROM pg_database WHERE datname = $1`, [seedName]);
  // The seed is kept between runs (takes a minute to make); BENCH_RESEED=1 makes it again, after a schema change.
  if (rows.length === 0 || process.env.BENCH_RESEED) {
    await admin.query(`DROP DATABASE IF EXISTS "${seedName}"`);
    await admin.query(`DROP DATABASE IF EXISTS "${seedName}_making"`);
    console.log(`  seeding ${CASES} cases with ${LINKS} links through the API and the worker`);
    // Made under another name and renamed once complete, so that a failed seed is never taken for one.
    await seed(withDatabase(seedUrl, `${seedName}_making`));
    await admin.query(`ALTER DATABASE "${seedName}_making" RENAME TO "${seedName}"`);
  }
  const [oursName, floorName] = [`${seedName}_ours`, `${seedName}_floor`];
  Object.assign(process.env, baseEnv(seedUrl, 'redis://127.0.0.1:1'));
  let letters = { done: 0, uploader: 0 };
  try {
    const rounds = await inRounds(ROUNDS, async () => {
      await copy(admin, seedName, oursName);
      await copy(admin, seedName, floorName);
      const ours = await oursRound(withDatabase(seedUrl, oursName));
      const floor = await floorRound(withDatabase(seedUrl, floorName));
      const db = await connectDb(withDatabase(seedUrl, oursName));
      const { rows: counted } = await db.query<{ done: number; uploader: number }>(
        `SELECT count(*) FILTER (WHERE kind = 'takedown_done')::int AS done,
                count(*) FILTER (WHERE kind = 'uploader')::int AS uploader FROM letters`,
      );
      await db.end();
      letters = counted[0];
      if (letters.done !== CASES || letters.uploader !== PAGES) {
        throw new Error(`the sweep wrote ${JSON.stringify(letters)} letters, expected ${CASES} and ${PAGES}`);
      }
      return { ours, floor };
    });
    const { ours, floor, ratio } = compare(rounds);
    return {
      sweep: {
        ours,
        floor,
        unit: 'links/s',
        ratio,
        target: TARGET_RATIO,
        met: ratio >= TARGET_RATIO,
        links: LINKS,
        cases: CASES,
        letters_complainant: letters.done,
        letters_uploader: letters.uploader,
        rounds: ROUNDS,
      },
    };
  } finally {
    await admin.query(`DROP DATABASE IF EXISTS "${oursName}"`);
    await admin.query(`DROP DATABASE IF EXISTS "${floorName}"`);
    await admin.end();
  }
});
