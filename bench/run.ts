/**
 * `npm run bench`: every figure of issue 14 against its floor, each script in a process of its own, one after the
 * other, so that no figure's load or settings fall on another. Prints each figure with its floor and ratio and writes
 * test-output/bench.json: { figures: { <name>: { ours, floor, unit, ratio, target, met, ...extras } } }.
 *
 * BENCH_ONLY=sweep,smtp runs only those scripts (the other figures are kept from the last bench.json);
 * BENCH_ROUNDS (default 5) and BENCH_QUICK=1 (3 rounds, smaller sizes) trade accuracy for time.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { projectRoot } from '../src/core/paths';
import { type Figure, type Figures, fmt, partPath, QUICK, readPart, ROUNDS } from './figures';

/** The scripts, cheapest first, and the figures each writes. */
const SCRIPTS: { name: string; file: string; figures: string[] }[] = [
  { name: 'text', file: 'text.bench.js', figures: ['checklist', 'text_linearity'] },
  { name: 'intake_small', file: 'intake-small.bench.js', figures: ['intake_small'] },
  { name: 'intake_10k', file: 'intake.bench.js', figures: ['intake_10k'] },
  { name: 'relay', file: 'relay.bench.js', figures: ['relay'] },
  { name: 'sweep', file: 'sweep.bench.js', figures: ['sweep'] },
  { name: 'smtp', file: 'smtp.bench.js', figures: ['smtp_accept', 'smtp_to_notice', 'mail_10mb'] },
  { name: 'redis_100k', file: 'redis.bench.js', figures: ['redis_100k'] },
  { name: 'health_p99_ms', file: 'health.bench.js', figures: ['health_p99_ms'] },
];

/** The order. */
export const FIGURE_ORDER = [
  'intake_small',
  'intake_10k',
  'sweep',
  'relay',
  'smtp_accept',
  'smtp_to_notice',
  'mail_10mb',
  'checklist',
  'redis_100k',
  'text_linearity',
  'health_p99_ms',
];

export const benchJsonPath = (): string => path.join(projectRoot(), 'test-output', 'bench.json');

interface BenchJson {
  figures: Figures;
  at?: string;
  environment?: object;
  failed?: string[];
}

function main(): void {
  const only = process.env.BENCH_ONLY?.split(',').map((s) => s.trim());
  const previous: BenchJson = (() => {
    try {
      return JSON.parse(readFileSync(benchJsonPath(), 'utf8')) as BenchJson;
    } catch {
      return { figures: {} };
    }
  })();
  const figures: Figures = only ? { ...previous.figures } : {};
  const failed: string[] = [];
  const started = Date.now();
  for (const script of SCRIPTS) {
    if (only && !only.includes(script.name) && !script.figures.some((f) => only.includes(f))) continue;
    console.log(`\n== ${script.name} (${script.figures.join(', ')})`);
    rmSync(partPath(script.name), { force: true });
    const t0 = Date.now();
    const run = spawnSync(process.execPath, [path.join(__dirname, script.file)], { stdio: 'inherit' });
    const part = readPart(script.name);
    if (run.status !== 0 || !part) {
      failed.push(script.name);
      console.error(`${script.name} failed (exit ${run.status})`);
      continue;
    }
    Object.assign(figures, part);
    console.log(`   ${((Date.now() - t0) / 1000).toFixed(0)} s`);
  }
  const ordered = Object.fromEntries(
    [...FIGURE_ORDER, ...Object.keys(figures).filter((k) => !FIGURE_ORDER.includes(k))]
      .filter((k) => figures[k])
      .map((k) => [k, figures[k]]),
  );
  const out: BenchJson = {
    figures: ordered,
    at: new Date().toISOString(),
    environment: {
      node: process.version,
      cpu: os.cpus()[0]?.model,
      cpus: os.cpus().length,
      load_average: os.loadavg().map((n) => Number(n.toFixed(2))),
      rounds: ROUNDS,
      quick: QUICK,
      seconds: Math.round((Date.now() - started) / 1000),
    },
    ...(failed.length ? { failed } : {}),
  };
  mkdirSync(path.dirname(benchJsonPath()), { recursive: true });
  writeFileSync(benchJsonPath(), `${JSON.stringify(out, null, 2)}\n`);
  print(ordered);
  console.log(
    `\nwritten to ${path.relative(process.cwd(), benchJsonPath())} in ${out.environment && (out.environment as { seconds: number }).seconds} s`,
  );
  if (failed.length) {
    console.error(`failed: ${failed.join(', ')}`);
    process.exitCode = 1;
  }
}

function print(figures: Figures): void {
  const row = (cells: string[]) => console.log(cells.map((c, i) => (i === 0 ? c.padEnd(16) : c.padStart(12))).join(''));
  console.log('');
  row(['figure', 'ours', 'floor', 'ratio', 'target', 'met', '  unit']);
  for (const [name, f] of Object.entries<Figure>(figures)) {
    row([name, fmt(f.ours), fmt(f.floor), fmt(f.ratio), fmt(f.target), f.met ? 'met' : 'NOT met', `  ${f.unit}`]);
  }
}

if (require.main === module) main();
