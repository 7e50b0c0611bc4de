/**
 * `npm run bench`: how quickly the API answers `/health` while 1 MB notices are being posted to it, against the same
 * figure with nothing else going on, measured in the same run. The notices' text is read in worker threads, so the
 * event loop should stay free. The API runs as `npm start` runs it, in a process of its own; `health_p99_ms` under load (aim: 50 ms or less) and its ratio to the idle floor.
 * Writes test-output/bench-health.json.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import { projectRoot } from '../src/core/paths';
import { ADVERSARIAL_SHAPES } from './adversarial';
import { migrate } from './bench-database';
import { letterWithUrls } from './notice-fixture';
import { ms, percentile, summarise } from './stats';

const DATABASE_URL = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/takedown_bench';
const POSTERS = 3;
const LOADED_MS = 10_000;
const PROBES_IDLE = 300;
const PROBE_GAP_MS = 5;
const TARGET_P99_MS = 50;

Object.assign(process.env, { DATABASE_URL, SITE_DOMAINS: 'example.com', LOG_LEVEL: 'error' });

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

/** The API as it runs in production, in a process of its own: `node dist/src/main.js`. */
async function startApi(): Promise<{ base: string; stop(): void }> {
  const port = 32000 + Math.floor(Math.random() * 2000);
  const child = spawn(process.execPath, [path.join(projectRoot(), 'dist/src/main.js')], {
    env: { ...process.env, PORT: String(port), PUBLIC_URL: `http://127.0.0.1:${port}` },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const base = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 300; i++) {
    if (child.exitCode !== null) throw new Error(`the API exited with code ${child.exitCode}`);
    try {
      if ((await fetch(`${base}/health`)).status < 500) return { base, stop: () => child.kill() };
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  child.kill();
  throw new Error('the API did not start within 30 s');
}

async function main(): Promise<void> {
  await migrate(DATABASE_URL);
  const api = await startApi();
  const { base } = api;
  try {
    const bodies = texts().map((text) => JSON.stringify({ text }));
    for (let i = 0; i < 20; i++) await probe(`${base}/health`);
    let n = 0;
    const idle = await probes(`${base}/health`, () => n++ < PROBES_IDLE);

    const end = Date.now() + LOADED_MS;
    const [loaded, statuses] = await Promise.all([
      probes(`${base}/health`, () => Date.now() < end),
      startPosters(base, bodies, end),
    ]);
    const failed = statuses.filter((s) => s !== 201);
    if (failed.length > 0) throw new Error(`${failed.length} of ${statuses.length} notices were not accepted`);
    const p99 = (xs: number[]) =>
      percentile(
        [...xs].sort((a, b) => a - b),
        99,
      );
    const result = {
      health_p99_ms: p99(loaded),
      idle_p99_ms: p99(idle),
      ratio: p99(loaded) / p99(idle),
      target_p99_ms: TARGET_P99_MS,
      loaded: summarise(loaded),
      idle: summarise(idle),
      noticesPosted: statuses.length,
      posters: POSTERS,
      noticeBytes: 1_000_000,
    };
    console.log(`\n/health while ${POSTERS} clients post 1 MB notices for ${LOADED_MS / 1000} s`);
    console.log(`${''.padEnd(30)}${'p50'.padStart(9)}${'p99'.padStart(9)}`);
    console.log(
      `${'idle (floor)'.padEnd(30)}${ms(result.idle.median).padStart(9)}${ms(result.idle_p99_ms).padStart(9)}`,
    );
    console.log(
      `${`loaded, ${statuses.length} notices`.padEnd(30)}${ms(result.loaded.median).padStart(9)}${ms(result.health_p99_ms).padStart(9)}`,
    );
    console.log(
      `health_p99_ms ${ms(result.health_p99_ms)} (aim ${TARGET_P99_MS} or less), ${result.ratio.toFixed(1)}x the idle p99`,
    );
    const out = path.join(projectRoot(), 'test-output');
    mkdirSync(out, { recursive: true });
    writeFileSync(path.join(out, 'bench-health.json'), `${JSON.stringify(result, null, 2)}\n`);
  } finally {
    api.stop();
  }
}

main().catch((e) => {
  console.error(e);
  process.exitCode = 1;
});
