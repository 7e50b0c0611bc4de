/**
 * Free-text speed: what email intake will lean on. The checklist over a 200 KB letter and link sorting over 1 MB
 * with 10,000 URLs, each against a floor measured in the same run: one pass of a naive URL regex over the same text,
 * the least any extractor must do.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { checkNotice } from '../src/checklist';
import { loadProviderRegistry, sortLinks } from '../src/links';
import { letterWithUrls } from './notice-fixture';
import { ms, summarise, type Summary } from './stats';

const RUNS = 15;
const WARMUP = 3;

function time(fn: () => unknown): Summary {
  for (let i = 0; i < WARMUP; i++) fn();
  const samples: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const t0 = performance.now();
    fn();
    samples.push(performance.now() - t0);
  }
  return summarise(samples);
}

const naiveFloor = (text: string): number => (text.match(/https?:\/\/[^\s)]+/g) ?? []).length;

function main(): void {
  const registry = loadProviderRegistry();
  const opts = { siteDomains: ['example.com'], registry };
  const medium = letterWithUrls(500, 200_000);
  const large = letterWithUrls(5_000, 1_000_000);

  const rows = [
    { name: 'checklist, 200 KB letter', text: medium, run: () => checkNotice({ text: medium }) },
    { name: 'link sorting, 200 KB letter', text: medium, run: () => sortLinks({ text: medium }, opts) },
    { name: 'checklist, 1 MB, 10,000 URLs', text: large, run: () => checkNotice({ text: large }) },
    { name: 'link sorting, 1 MB, 10,000 URLs', text: large, run: () => sortLinks({ text: large }, opts) },
  ].map((r) => {
    const ours = time(r.run);
    const floor = time(() => naiveFloor(r.text));
    return { name: r.name, bytes: r.text.length, ours, floor, ratio: ours.median / floor.median };
  });

  console.log(`\nFree text: median of ${RUNS} runs after ${WARMUP} warm-up, ms; floor = one naive URL regex pass`);
  console.log(`${'case'.padEnd(34)}${'ours'.padStart(9)}${'floor'.padStart(9)}${'ratio'.padStart(9)}`);
  for (const r of rows) {
    console.log(
      `${r.name.padEnd(34)}${ms(r.ours.median).padStart(9)}${ms(r.floor.median).padStart(9)}${`${r.ratio.toFixed(1)}x`.padStart(9)}`,
    );
  }
  const out = path.join(process.cwd(), 'test-output');
  mkdirSync(out, { recursive: true });
  writeFileSync(path.join(out, 'bench-text.json'), JSON.stringify(rows, null, 2));
  console.log('\nwritten to test-output/bench-text.json');
}

main();
