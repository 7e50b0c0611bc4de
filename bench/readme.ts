/**
 * `npm run bench:readme`: the README's figures table, generated from test-output/bench.json (written by
 * `npm run bench`), between the markers `<!-- bench:figures -->` and `<!-- /bench:figures -->`.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { projectRoot } from '../src/core/paths';
import { type Figure, type Figures, fmt } from './figures';
import { benchJsonPath } from './run';

/** What each figure measures and what its floor is, as the README says it. */
const ABOUT: Record<string, { what: string | ((f: Figure) => string); floor: string; target: (f: Figure) => string }> =
  {
    intake_small: {
      what: '1-URL JSON notices, 10 keep-alive clients (p99; at 50 clients)',
      floor: 'the same rows by raw `pg`, as many clients, same pool (bare Express + 1 INSERT)',
      target: (f) => `≥ ${f.target} of the floor, p99 ≤ ${String(f.p99_target_ms)} ms, no worse at 50`,
    },
    intake_10k: {
      what: 'one 10,000-URL notice, `POST` to committed case',
      floor: 'the same rows by raw `pg`, links by one `unnest`',
      target: (f) => `≤ ${f.target}× the floor's time`,
    },
    sweep: {
      what: 'the sweep removing 10,000 due links (100 cases, 1,100 letters)',
      floor: 'one batched UPDATE of the same takedowns and links',
      target: (f) => `≥ ${f.target} of the floor`,
    },
    relay: {
      what: 'outbox relay into BullMQ, 20,000 jobs',
      floor: '`addBulk` of the same jobs, same ids, batches of 500',
      target: (f) => `≥ ${f.target} of the floor`,
    },
    smtp_accept: {
      what: (f) => `SMTP acceptance, ${String(f.messages)} × 5 KB over 10 connections`,
      floor: 'bare smtp-server + 1 INSERT',
      target: (f) => `≥ ${f.target} of the floor`,
    },
    smtp_to_notice: {
      what: (f) => `SMTP → stored notice, the same ${String(f.messages)}`,
      floor: '–',
      target: (f) => `≥ ${f.target}/s`,
    },
    mail_10mb: {
      what: 'worker peak memory over idle, one 10 MB message',
      floor: 'the bare listener, same message',
      target: (f) => `≤ ${f.target}× the message (${fmt(f.peak_over_size as number)}× now)`,
    },
    checklist: {
      what: 'checklist + link sorting, 5 KB letter, one thread',
      floor: '–',
      target: (f) => `≥ ${f.target}/s`,
    },
    redis_100k: {
      what: 'Redis after 100,000 URLs end to end',
      floor: 'the same Redis empty',
      target: (f) => `≤ ${f.target} MB`,
    },
    text_linearity: {
      what: 'worst growth of time per KB, 10 KB → 1 MB, adversarial shapes',
      floor: '–',
      target: (f) => `≤ ${f.target}×`,
    },
    health_p99_ms: {
      what: '`/health` p99 while 3 clients post 1 MB notices',
      floor: 'the same probe idle',
      target: (f) => `≤ ${f.target} ms`,
    },
  };

export function figuresTable(figures: Figures): string {
  const lines = [
    '| figure | ours | floor in the same run | ratio | target | met |',
    '| --- | --- | --- | --- | --- | --- |',
  ];
  for (const [name, f] of Object.entries(figures)) {
    const about = ABOUT[name];
    let ours = `${fmt(f.ours)} ${f.unit.split(' ')[0]}`;
    if (name === 'intake_small') {
      ours += `, p99 ${fmt(f.p99_ms as number)} ms; at 50: ${fmt(f.ours_at_50 as number)}/s, p99 ${fmt(f.p99_ms_at_50 as number)} ms`;
    }
    let floor = f.floor === null ? '–' : `${fmt(f.floor)}: ${about?.floor ?? ''}`;
    if (name === 'intake_small') floor += ` ${fmt(f.floor_http as number)}/s`;
    let ratio = f.ratio === null ? '–' : fmt(f.ratio);
    if (name === 'intake_small') ratio += ` / ${fmt(f.ratio_http as number)}`;
    lines.push(
      `| \`${name}\`: ${typeof about?.what === 'function' ? about.what(f) : (about?.what ?? '')} | ${ours} | ${floor} | ${ratio} | ${about ? about.target(f) : fmt(f.target)} | ${f.met ? 'yes' : '**no**'} |`,
    );
  }
  return lines.join('\n');
}

function main(): void {
  const bench = JSON.parse(readFileSync(benchJsonPath(), 'utf8')) as {
    figures: Figures;
    at: string;
    environment: { rounds: number; quick: boolean; load_average: number[]; seconds: number };
  };
  if (bench.environment.quick) throw new Error('bench.json is from a BENCH_QUICK run: the README takes a full one');
  const readme = path.join(projectRoot(), 'README.md');
  const text = readFileSync(readme, 'utf8');
  const [open, close] = ['<!-- bench:figures -->', '<!-- /bench:figures -->'];
  const start = text.indexOf(open);
  const end = text.indexOf(close);
  if (start < 0 || end < start) throw new Error(`README.md has no ${open} ... ${close} block`);
  const e = bench.environment;
  const body =
    `${figuresTable(bench.figures)}\n\n` +
    `From \`test-output/bench.json\` of ${bench.at.slice(0, 10)}: ${e.rounds} rounds, ${e.seconds} s in all, load ` +
    `average ${e.load_average.join(' / ')} on the machine during the run.`;
  writeFileSync(readme, `${text.slice(0, start + open.length)}\n${body}\n${text.slice(end)}`);
  console.log(`README.md: figures table from ${path.relative(process.cwd(), benchJsonPath())}`);
}

if (require.main === module) main();
