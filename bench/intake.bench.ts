/**
 * intake_10k: one structured notice with 10,000 URLs through the HTTP API to a committed case, against a floor
 * measured in the same round (the same rows written by raw `pg` in one transaction, the links by one `unnest`).
 * Prints medians and the ratio; a failed correctness check fails the figure.
 */
import 'reflect-metadata';
import type { AddressInfo } from 'node:net';
import * as os from 'node:os';
import { Client } from 'pg';
import { LinkStatus } from '../src/cases/reported-link.entity';
import { checkNotice } from '../src/checklist';
import { loadProviderRegistry, sortLinks } from '../src/links';
import { migrate } from './bench-database';
import { floorRows, writeFloor } from './floor';
import { benchNotice } from './notice-fixture';
import { redisUrl, startRedis } from './processes';
import { benchDatabaseUrl, compare, figureScript, type Figures, ROUNDS } from './figures';
import { ms, summarise, type Summary } from './stats';

const URLS = 10_000;
const WARMUP = 2;
const RUNS = Math.max(ROUNDS, 5);
const TARGET_RATIO = 1.2;
const SITE_DOMAINS = ['example.com'];
const DATABASE_URL = benchDatabaseUrl('intake_10k');

// Read by the app's config namespaces when its modules load, so set before the dynamic imports below.
Object.assign(process.env, { DATABASE_URL, SITE_DOMAINS: SITE_DOMAINS.join(','), LOG_LEVEL: 'warn' });

const TABLES =
  'cases, notices, reported_links, parties, audit_events, outbox, idempotency_keys, takedowns, referrals, letters';

class BenchCheckError extends Error {}

function check(condition: boolean, message: string): void {
  if (!condition) throw new BenchCheckError(message);
}

/** The case, its links and its outbox row are all there, and nothing else was written. */
async function verifyCase(db: Client, caseId: string, pending: number, label: string): Promise<void> {
  type Counts = {
    links: number;
    pending: number;
    outbox: number;
    notices: number;
    parties: number;
    audit: number;
    cases: number;
  };
  const { rows } = await db.query<Counts>(
    `SELECT (SELECT count(*)::int FROM reported_links WHERE case_id = $1) AS links,
            (SELECT count(*)::int FROM reported_links WHERE case_id = $1 AND status = 'pending') AS pending,
            (SELECT count(*)::int FROM outbox WHERE job_id = 'route-case.' || $1) AS outbox,
            (SELECT count(*)::int FROM notices WHERE case_id = $1) AS notices,
            (SELECT count(*)::int FROM parties WHERE case_id = $1) AS parties,
            (SELECT count(*)::int FROM audit_events WHERE case_id = $1) AS audit,
            (SELECT count(*)::int FROM cases) AS cases`,
    [caseId],
  );
  const r = rows[0];
  check(r.links === URLS, `${label}: case ${caseId} has ${r.links} reported_links, expected ${URLS}`);
  check(r.pending === pending, `${label}: case ${caseId} has ${r.pending} pending links, expected ${pending}`);
  check(r.outbox === 1, `${label}: case ${caseId} has ${r.outbox} outbox rows, expected 1`);
  check(r.notices === 1 && r.parties === 1 && r.audit === 1, `${label}: case ${caseId} has ${JSON.stringify(r)}`);
  check(r.cases === 1, `${label}: ${r.cases} cases in the database after one run, expected 1`);
}

async function main(): Promise<Figures> {
  // A Redis of the bench's own (the rate limiter and the queues); stopped when the script exits.
  process.env.REDIS_URL = redisUrl(await startRedis());
  await migrate(DATABASE_URL);

  const body = benchNotice(URLS);
  const payload = JSON.stringify(body);
  const registry = loadProviderRegistry();

  // The pure in-process part: checklist and link sorting, as intake calls them.
  const sort = () => sortLinks({ infringingUrls: body.infringingUrls }, { siteDomains: SITE_DOMAINS, registry });
  const cpuSamples: number[] = [];
  const checkSamples: number[] = [];
  for (let i = 0; i < WARMUP + RUNS; i++) {
    const t0 = performance.now();
    checkNotice({ structured: body });
    const t1 = performance.now();
    sort();
    const t2 = performance.now();
    if (i >= WARMUP) {
      cpuSamples.push(t2 - t0);
      checkSamples.push(t1 - t0);
    }
  }
  const checklist = checkNotice({ structured: body });
  const links = sort();
  check(links.length === URLS, `sortLinks kept ${links.length} of ${URLS} URLs; the fixture must list distinct URLs`);
  check(checklist.complete, `the fixture notice is not complete: missing ${checklist.missing.join(', ')}`);
  const rows = floorRows(body, checklist, links);
  const pending = rows.links.status.filter((s) => s === LinkStatus.Pending).length;

  const { NestFactory } = await import('@nestjs/core');
  const { AppModule } = await import('../src/app.module');
  const { configureHttpApp } = await import('../src/http-app');
  type NestExpressApplication = import('@nestjs/platform-express').NestExpressApplication;

  const db = new Client({ connectionString: DATABASE_URL });
  await db.connect();
  const app = await NestFactory.create<NestExpressApplication>(AppModule, {
    bodyParser: false,
    rawBody: true,
    logger: ['error', 'warn'],
  });
  try {
    configureHttpApp(app);
    await app.listen(0, '127.0.0.1');
    const { port } = app.getHttpServer().address() as AddressInfo;
    const endpoint = `http://127.0.0.1:${port}/api/v1/notices`;
    // The bench's own database starts each run empty. audit_events refuses TRUNCATE (the log is append-only); as the
    // superuser, the bench sets its triggers aside for this one statement.
    const truncate = () =>
      db.query(`BEGIN; SET LOCAL session_replication_role = replica; TRUNCATE ${TABLES} CASCADE; COMMIT;`);

    let responseBytes = 0;
    let peakHeapDelta = 0;
    const ours = async (): Promise<number> => {
      await truncate();
      const before = process.memoryUsage();
      const t0 = performance.now();
      const res = await fetch(endpoint, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: payload,
      });
      const text = await res.text();
      const elapsed = performance.now() - t0;
      peakHeapDelta = Math.max(peakHeapDelta, process.memoryUsage().heapUsed - before.heapUsed);
      check(res.status === 201, `the API answered ${res.status}, expected 201: ${text.slice(0, 500)}`);
      const answer = JSON.parse(text) as { caseId: string; links: unknown[] };
      check(answer.links.length === URLS, `the API answer lists ${answer.links.length} links, expected ${URLS}`);
      responseBytes = Buffer.byteLength(text);
      await verifyCase(db, answer.caseId, pending, 'ours');
      return elapsed;
    };
    const floor = async (): Promise<number> => {
      await truncate();
      const { caseId, ms: elapsed } = await writeFloor(db, rows);
      await verifyCase(db, caseId, pending, 'floor');
      return elapsed;
    };

    for (let i = 0; i < WARMUP; i++) {
      await ours();
      await floor();
    }
    // Interleaved, so that drift on the machine (autovacuum, other load) falls on both alike.
    const oursSamples: number[] = [];
    const floorSamples: number[] = [];
    const rssBefore = process.memoryUsage().rss;
    for (let i = 0; i < RUNS; i++) {
      oursSamples.push(await ours());
      floorSamples.push(await floor());
    }

    return report({
      ours: summarise(oursSamples),
      floor: summarise(floorSamples),
      cpu: summarise(cpuSamples),
      checklistOnly: summarise(checkSamples),
      oursSamples,
      floorSamples,
      requestBytes: Buffer.byteLength(payload),
      responseBytes,
      peakHeapDeltaBytes: peakHeapDelta,
      rssBeforeBytes: rssBefore,
      maxRssBytes: process.resourceUsage().maxRSS * 1024,
      postgres: (await db.query<{ server_version: string }>('SHOW server_version')).rows[0].server_version,
    });
  } finally {
    await app.close();
    await db.end();
  }
}

interface Measured {
  ours: Summary;
  floor: Summary;
  cpu: Summary;
  checklistOnly: Summary;
  oursSamples: number[];
  floorSamples: number[];
  requestBytes: number;
  responseBytes: number;
  peakHeapDeltaBytes: number;
  rssBeforeBytes: number;
  maxRssBytes: number;
  postgres: string;
}

function report(m: Measured): Figures {
  const { ratio } = compare(m.oursSamples.map((ours, i) => ({ ours, floor: m.floorSamples[i] })));
  const withinRatio = ratio <= TARGET_RATIO;
  const mb = (n: number) => `${(n / 1024 / 1024).toFixed(1)} MB`;
  const row = (name: string, s: Summary) =>
    `${name.padEnd(34)}${ms(s.median).padStart(9)}${ms(s.min).padStart(9)}${ms(s.max).padStart(9)}`;

  console.log(
    `\nIntake of one notice with ${URLS.toLocaleString('en')} URLs: ${RUNS} runs each after ${WARMUP} warm-up, ms`,
  );
  console.log(`${''.padEnd(34)}${'median'.padStart(9)}${'min'.padStart(9)}${'max'.padStart(9)}`);
  console.log(row('ours: POST /api/v1/notices -> 201', m.ours));
  console.log(row('floor: raw pg, one transaction', m.floor));
  console.log(row('cpu: checkNotice + sortLinks', m.cpu));
  console.log(row('  of which checkNotice', m.checklistOnly));
  console.log('');
  const verdict = (ok: boolean) => (ok ? 'met' : 'NOT met');
  console.log(
    `ratio ours/floor (median per round) ${ratio.toFixed(2)}x   target <= ${TARGET_RATIO}x: ${verdict(withinRatio)}`,
  );
  console.log(`request body ${mb(m.requestBytes)}, response body ${mb(m.responseBytes)}`);
  console.log(`heap growth during one request (max) ${mb(m.peakHeapDeltaBytes)}`);
  console.log(`rss ${mb(m.rssBeforeBytes)} before the measured runs, peak ${mb(m.maxRssBytes)}`);
  const cpu = `${os.cpus()[0]?.model ?? 'unknown cpu'} x${os.cpus().length}`;
  console.log(`node ${process.version}, PostgreSQL ${m.postgres}, ${cpu}`);

  return {
    intake_10k: {
      ours: m.ours.median,
      floor: m.floor.median,
      unit: 'ms',
      ratio,
      target: TARGET_RATIO,
      met: withinRatio,
      urls: URLS,
      rounds: RUNS,
      cpu_ms: m.cpu.median,
      peak_heap_delta_mb: m.peakHeapDeltaBytes / 1024 / 1024,
      request_mb: m.requestBytes / 1024 / 1024,
    },
  };
}

figureScript('intake_10k', main);
