/**
 * `npm run bench`: the staff queue over a large backlog. Seeds CASES cases with LINKS_PER_CASE links each (once; the
 * seed is kept between runs) and times CaseQueueService.list for the queries staff make all day, against a floor
 * measured in the same run: the cheapest page any queue can serve (25 case rows by created_at, from its index).
 * Prints medians and ratios and writes test-output/bench-queue.json. Only a failed correctness check exits non-zero.
 */
import 'reflect-metadata';
import { mkdirSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { CaseQueueService, type QueueFilter } from '../src/triage/case-queue.service';
import { hostReversedSql } from '../src/cases/reported-link.entity';
import { dataSourceOptions } from '../src/core/database/data-source-options';
import { ensureDatabase } from '../src/core/database/ensure-database';
import { projectRoot } from '../src/core/paths';
import { ms, summarise } from './stats';
import { privacyConfig } from '../src/core/config/privacy.config';
import { PersonalData } from '../src/core/privacy/personal-data.service';

const CASES = 20_000;
const LINKS_PER_CASE = 10;
const WARMUP = 2;
const RUNS = 15;
const DATABASE_URL = process.env.BENCH_QUEUE_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/takedown_bench_queue';

const QUERIES: { name: string; filter: QueueFilter }[] = [
  { name: 'first page, oldest first', filter: {} },
  {
    name: 'open cases, due first',
    filter: { status: ['received', 'in_review'] as QueueFilter['status'], sort: 'due' },
  },
  { name: 'deficient (missing any element)', filter: { missing: 'any' } },
  { name: 'missing signature', filter: { missing: 'signature' } },
  { name: 'overdue', filter: { overdue: true } },
  { name: 'provider = mega', filter: { provider: 'mega' } },
  { name: 'domain = example.com', filter: { domain: 'example.com' } },
  { name: 'search by reference', filter: { q: 'DMCA-2026-010001' } },
  { name: 'search by email', filter: { q: 'sender-12345@rights.example.org' } },
  { name: 'search by URL fragment', filter: { q: '/d/1234505' } },
  { name: 'most links first', filter: { sort: 'links' } },
  { name: 'page 400', filter: { page: 400 } },
];

class BenchCheckError extends Error {}

/** One generate_series per table: the backlog in a few statements. Every 5th case lacks a signature. */
async function seed(db: Client, hashEmail: (email: string) => string): Promise<void> {
  const [{ n, hashed }] = (
    await db.query<{ n: number; hashed: boolean }>(
      `SELECT count(*)::int AS n, EXISTS (SELECT 1 FROM parties WHERE email_hash IS NOT NULL) AS hashed FROM cases`,
    )
  ).rows;
  if (n === CASES && hashed) return;
  await db.query(`BEGIN; SET LOCAL session_replication_role = replica;
    TRUNCATE cases, notices, parties, reported_links, audit_events CASCADE; COMMIT;`);
  const complete = JSON.stringify({ kind: 'takedown', elements: {}, missing: [], complete: true });
  const unsigned = JSON.stringify({ kind: 'takedown', elements: {}, missing: ['signature'], complete: false });
  await db.query(
    `INSERT INTO cases (reference, status, kind, status_token, checklist, created_at, ack_due_at, action_due_at)
     SELECT 'DMCA-2026-' || lpad(i::text, 6, '0'),
            (ARRAY['received','in_review','needs_info','actioned','closed','rejected'])[1 + i % 6]::case_status,
            'takedown', md5(i::text),
            CASE WHEN i % 5 = 0 THEN $2::jsonb ELSE $1::jsonb END,
            now() - make_interval(mins => $3 - i), now() - make_interval(mins => $3 - i) + interval '1 day',
            now() - make_interval(mins => $3 - i) + interval '2 days'
     FROM generate_series(1, $3) AS i`,
    [complete, unsigned, CASES],
  );
  await db.query(
    `INSERT INTO notices (case_id, channel, checklist, link_count, sender_email)
     SELECT id, (ARRAY['api','form','email'])[1 + (right(reference, 6)::int % 3)]::notice_channel, checklist, $1,
            'sender-' || right(reference, 6)::int || '@rights.example.org'
     FROM cases`,
    [LINKS_PER_CASE],
  );
  await db.query(
    `INSERT INTO parties (case_id, role, name, email)
     SELECT id, 'complainant', 'Sender ' || reference, 'sender-' || right(reference, 6)::int || '@rights.example.org'
     FROM cases`,
  );
  await db.query(
    `INSERT INTO reported_links (case_id, notice_id, url, raw, classification, provider, role, status, position,
                                 host_reversed)
     SELECT c.id, n.id, u.url, u.url, u.cls, u.provider, 'infringing', 'pending', u.k, ${hostReversedSql('u.url')}
     FROM cases c JOIN notices n ON n.case_id = c.id,
     LATERAL (SELECT k,
                     CASE WHEN k % 3 = 0 THEN 'https://mega.nz/file/' || md5(c.reference || k)
                          ELSE 'https://example.com/d/' || (right(c.reference, 6)::int * 100 + k) END AS url,
                     CASE WHEN k % 3 = 0 THEN 'external_disk' ELSE 'internal' END AS cls,
                     CASE WHEN k % 3 = 0 THEN 'mega' END AS provider
              FROM generate_series(1, $1) AS k) u`,
    [LINKS_PER_CASE],
  );
  // Addresses are found by their keyed hash (PersonalData.hashEmail), as intake writes them.
  const senders = (await db.query<{ id: string; k: number }>(`SELECT id, right(reference, 6)::int AS k FROM cases`))
    .rows;
  const hashes = senders.map((r) => hashEmail(`sender-${r.k}@rights.example.org`));
  const ids = senders.map((r) => r.id);
  for (const table of ['notices', 'parties']) {
    const column = table === 'notices' ? 'sender_email_hash' : 'email_hash';
    await db.query(
      `UPDATE ${table} t SET ${column} = h.hash FROM unnest($1::uuid[], $2::text[]) AS h(case_id, hash)
       WHERE t.case_id = h.case_id`,
      [ids, hashes],
    );
  }
  await db.query(`ANALYZE`);
}

async function time(run: () => Promise<unknown>): Promise<number[]> {
  const samples: number[] = [];
  for (let i = 0; i < WARMUP + RUNS; i++) {
    const t0 = performance.now();
    await run();
    if (i >= WARMUP) samples.push(performance.now() - t0);
  }
  return samples;
}

async function main(): Promise<void> {
  await ensureDatabase(DATABASE_URL);
  const dataSource = await new DataSource(dataSourceOptions(DATABASE_URL, 2)).initialize();
  const db = new Client({ connectionString: DATABASE_URL });
  await db.connect();
  try {
    await dataSource.runMigrations();
    const vault = new PersonalData(privacyConfig(), dataSource);
    await vault.onModuleInit();
    const seedStart = performance.now();
    await seed(db, (email) => vault.hashEmail(email));
    const seeded = performance.now() - seedStart;
    const queue = new CaseQueueService(dataSource, vault);

    const floor = summarise(
      await time(() =>
        dataSource.query(`SELECT id, reference, status, created_at FROM cases ORDER BY created_at, id LIMIT 25`),
      ),
    );
    const results = [];
    for (const { name, filter } of QUERIES) {
      const page = await queue.list(filter);
      if (page.items.length === 0) throw new BenchCheckError(`"${name}" found no cases in the seeded backlog`);
      const summary = summarise(await time(() => queue.list(filter)));
      results.push({ name, total: page.total, ...summary, ratio: summary.median / floor.median });
    }

    console.log(
      `Staff queue over ${CASES.toLocaleString('en')} cases and ${(CASES * LINKS_PER_CASE).toLocaleString('en')} links` +
        ` (median of ${RUNS} runs; seeding took ${ms(seeded)} ms, 0 when kept from an earlier run)`,
    );
    console.log(`  floor: 25 case rows by created_at      ${ms(floor.median).padStart(8)} ms`);
    for (const r of results) {
      console.log(
        `  ${r.name.padEnd(36)} ${ms(r.median).padStart(8)} ms  ${r.ratio.toFixed(1).padStart(6)}x  (${r.total} cases)`,
      );
    }
    const out = path.join(projectRoot(), 'test-output');
    mkdirSync(out, { recursive: true });
    writeFileSync(
      path.join(out, 'bench-queue.json'),
      JSON.stringify({ cases: CASES, linksPerCase: LINKS_PER_CASE, cpus: os.cpus().length, floor, results }, null, 2),
    );
  } finally {
    await db.end();
    await dataSource.destroy();
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof BenchCheckError ? `Bench check failed: ${error.message}` : error);
  process.exitCode = 1;
});
