import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { projectRoot } from '../src/core/paths';
import { summarise } from './stats';

/** One figure of test-output/bench.json, in the shape issue 14 asks for, plus whatever extras explain it. */
export interface Figure {
  ours: number;
  floor: number | null;
  unit: string;
  /** The median of the per-round ratios ours/floor. */
  ratio: number | null;
  target: number | null;
  met: boolean;
  [extra: string]: unknown;
}

export type Figures = Record<string, Figure>;

/** Rounds asked for: BENCH_ROUNDS, at least 5 unless BENCH_QUICK says otherwise. */
export const ROUNDS = Number(process.env.BENCH_ROUNDS ?? (process.env.BENCH_QUICK ? 3 : 5));
/** BENCH_QUICK=1: smaller sizes and fewer rounds, for a look in a minute or two; the README's figures are never quick. */
export const QUICK = Boolean(process.env.BENCH_QUICK);

/** The base database URL; each figure works in a database of its own named after it. */
export function benchDatabaseUrl(suffix: string): string {
  const base = new URL(process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/takedown_bench');
  base.pathname = `${base.pathname.replace(/^\//, '')}_${suffix}`;
  return base.toString();
}

export interface Round {
  ours: number;
  floor: number;
}

/** Median of each side and the median of the per-round ratios ours/floor. */
export function compare(rounds: Round[]): { ours: number; floor: number; ratio: number; rounds: Round[] } {
  return {
    ours: summarise(rounds.map((r) => r.ours)).median,
    floor: summarise(rounds.map((r) => r.floor)).median,
    ratio: summarise(rounds.map((r) => r.ours / r.floor)).median,
    rounds,
  };
}

/** `run` once per round, ours and the floor inside it back to back, so that drift on the machine falls on both. */
export async function inRounds(rounds: number, run: (round: number) => Promise<Round>): Promise<Round[]> {
  const out: Round[] = [];
  for (let i = 0; i < rounds; i++) {
    const r = await run(i);
    console.log(
      `  round ${i + 1}/${rounds}: ours ${fmt(r.ours)}, floor ${fmt(r.floor)}, ratio ${fmt(r.ours / r.floor)}`,
    );
    out.push(r);
  }
  return out;
}

export function fmt(n: number | null | undefined): string {
  if (n === null || n === undefined || Number.isNaN(n)) return '–';
  const abs = Math.abs(n);
  if (abs >= 1000) return Math.round(n).toLocaleString('en');
  if (abs >= 100) return n.toFixed(0);
  if (abs >= 10) return n.toFixed(1);
  if (abs >= 1) return n.toFixed(2);
  return n.toFixed(3);
}

/** Where a figure script leaves its figures for `npm run bench` to gather (bench/run.ts). */
export function partPath(name: string): string {
  const dir = process.env.BENCH_PARTS_DIR ?? path.join(projectRoot(), 'test-output', 'bench-parts');
  return path.join(dir, `${name}.json`);
}

export function writePart(name: string, figures: Figures): void {
  mkdirSync(path.dirname(partPath(name)), { recursive: true });
  writeFileSync(partPath(name), `${JSON.stringify(figures, null, 2)}\n`);
}

export function readPart(name: string): Figures | undefined {
  try {
    return JSON.parse(readFileSync(partPath(name), 'utf8')) as Figures;
  } catch {
    return undefined;
  }
}

/** A figure script's entry point: runs, writes its part, exits non-zero on an error. */
export function figureScript(name: string, run: () => Promise<Figures>): void {
  run()
    .then((figures) => {
      writePart(name, figures);
      // Open handles (a pool, a socket) must not keep a finished figure waiting.
      process.exit(0);
    })
    .catch((error: unknown) => {
      console.error(error);
      process.exit(1);
    });
}
