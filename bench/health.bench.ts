/**
 * health_p99_ms: how quickly the API answers `/health` while 1 MB notices are being posted to it, against the same
 * probe with nothing else going on (the floor), in the same round. The notices' text is read in worker threads, so
 * the event loop should stay free. The API runs as `npm start` runs it, in a process of its own; the aim is a p99 of
 * 50 ms or less under load.
 */
import { Worker } from 'node:worker_threads';
import { ADVERSARIAL_SHAPES } from './adversarial';
import { migrate } from './bench-database';
import { benchDatabaseUrl, compare, figureScript, type Figures, inRounds, QUICK, ROUNDS } from './figures';
import { letterWithUrls } from './notice-fixture';
import { baseEnv, freePort, redisUrl, startNode, startRedis } from './processes';
import { ms, percentile } from './stats';

const DATABASE_URL = benchDatabaseUrl('health');
const POSTERS = 3;
const LOADED_MS = QUICK ? 2_000 : 4_000;
const PROBES_IDLE = 100;
const PROBE_GAP_MS = 5;
const TARGET_P99_MS = 50;

/** The texts posted: a long letter, and two of the adversarial shapes that once froze the service. */
function texts(): string[] {
  const shape = (name: string) => ADVERSARIAL_SHAPES.find((s) => s.name === name)!.make(1_000_000);
  return [
    letterWithUrls(50, 1_000_000),
    shape('perjury-then-eg-colon-then-owner-lines'),
    shape('signature-spaces'),
  ].map((t) => t.slice(0, 1_000_000));
}

async function probe(url: string): Promise<number> {
  const t0 = performance.now();
  const res = await fetch(url);
  await res.arrayBuffer();
  return performance.now() - t0;
}

async function probes(url: string, until: () => boolean): Promise<number[]> {
  const samples: number[] = [];
  while (until()) {
    samples.push(await probe(url));
    await new Promise((r) => setTimeout(r, PROBE_GAP_MS));
  }
  return samples;
}

/** Posts the notices from a thread of its own, so that encoding megabytes of JSON never delays a probe. */
function startPosters(base: string, bodies: string[], untilMs: number): Promise<number[]> {
  const source = `
    const { parentPort, workerData: { base, bodies, end, posters } } = require('node:worker_threads');
    const statuses = [];
    const post = async (which) => {
      for (let i = which; Date.now() < end; i++) {
        const res = await fetch(base + '/api/v1/notices', {
          method: 'POST', headers: { 'content-type': 'application/json' }, body: bodies[i % bodies.length],
        });
        await res.arrayBuffer();
        statuses.push(res.status);
      }
    };
    Promise.all(Array.from({ length: posters }, (_, i) => post(i))).then(() => parentPort.postMessage(statuses));
  `;
  const worker = new Worker(source, { eval: true, workerData: { base, bodies, end: untilMs, posters: POSTERS } });
  return new Promise((resolve, reject) => {
    worker.once('message', (statuses: number[]) => {
      resolve(statuses);
      void worker.terminate();
    });
    worker.once('error', reject);
  });
}

async function main(): Promise<Figures> {
  await migrate(DATABASE_URL);
  const redis = await startRedis();
  const port = await freePort();
  const api = await startNode(
    'dist/src/main.js',
    { ...baseEnv(DATABASE_URL, redisUrl(redis)), PORT: String(port), PUBLIC_URL: `http://127.0.0.1:${port}` },
    port,
    'the API',
  );
  const base = api.url;
  try {
    const bodies = texts().map((text) => JSON.stringify({ text }));
    for (let i = 0; i < 20; i++) await probe(`${base}/health`);
    const p99 = (xs: number[]) =>
      percentile(
        [...xs].sort((a, b) => a - b),
        99,
      );
    let posted = 0;
    const rounds = await inRounds(ROUNDS, async () => {
      let n = 0;
      const idle = await probes(`${base}/health`, () => n++ < PROBES_IDLE);
      const end = Date.now() + LOADED_MS;
      const [loaded, statuses] = await Promise.all([
        probes(`${base}/health`, () => Date.now() < end),
        startPosters(base, bodies, end),
      ]);
      const failed = statuses.filter((s) => s !== 201);
      if (failed.length > 0) throw new Error(`${failed.length} of ${statuses.length} notices were not accepted`);
      posted += statuses.length;
      return { ours: p99(loaded), floor: p99(idle) };
    });
    const { ours, floor, ratio } = compare(rounds);
    console.log(
      `health_p99_ms ${ms(ours)} while ${POSTERS} clients post 1 MB notices (${posted} in all; aim ${TARGET_P99_MS} or less), idle p99 ${ms(floor)}, ${ratio.toFixed(1)}x`,
    );
    return {
      health_p99_ms: {
        ours,
        floor,
        unit: 'ms (p99 of /health)',
        ratio,
        target: TARGET_P99_MS,
        met: ours <= TARGET_P99_MS,
        target_on: 'ours',
        notices_posted: posted,
        posters: POSTERS,
        notice_bytes: 1_000_000,
        loaded_seconds_per_round: LOADED_MS / 1000,
      },
    };
  } finally {
    await api.stop();
    await redis.stop();
  }
}

figureScript('health_p99_ms', main);
