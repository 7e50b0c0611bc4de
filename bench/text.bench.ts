/**
 * Free-text speed: what email intake will lean on. `checklist`: the checklist and link sorting of a 5 KB letter, on
 * this one thread, in notices a second. The checklist over a 200 KB letter and link sorting over 1 MB with 10,000
 * URLs, each against a floor measured in the same run: one pass of a naive URL regex over the same text, the least
 * any extractor must do (printed, kept as extras). `text_linearity`: the worst growth over the adversarial shapes.
 */
import { checkNotice } from '../src/checklist';
import { loadProviderRegistry, sortLinks } from '../src/links';
import { ADVERSARIAL_SHAPES, type Growth, measureGrowth, TEXT_OPERATIONS } from './adversarial';
import { figureScript, type Figures, fmt, ROUNDS } from './figures';
import { letterWithUrls } from './notice-fixture';
import { ms, summarise, type Summary } from './stats';

const CHECKLIST_TARGET = 3000;
const LINEARITY_TARGET = 2;

const RUNS = 5;
const WARMUP = 1;

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

/**
 * Notices a second through checkNotice + sortLinks for 5 KB letters with 40 URLs, a second per round. The letters
 * differ (their URLs do), in turn, so that what the checklist keeps of the last text it read is no help: each notice
 * costs what a new one does.
 */
function checklistRate(opts: Parameters<typeof sortLinks>[1]): Figures {
  const letters = Array.from({ length: 64 }, (_, i) => letterWithUrls(20, 5_000, 100_000 + i * 100));
  const letter = letters[0];
  let next = 0;
  const one = () => {
    const text = letters[next++ % letters.length];
    checkNotice({ text });
    sortLinks({ text }, opts);
  };
  for (let i = 0; i < 200; i++) one();
  const rates: number[] = [];
  for (let r = 0; r < ROUNDS; r++) {
    let n = 0;
    const t0 = performance.now();
    while (performance.now() - t0 < 1000) {
      one();
      n++;
    }
    rates.push((n / (performance.now() - t0)) * 1000);
  }
  const ours = summarise(rates).median;
  console.log(`checklist: ${fmt(ours)} notices/s (5 KB letters, one thread; target ${CHECKLIST_TARGET})`);
  return {
    checklist: {
      ours,
      floor: null,
      unit: 'notices/s',
      ratio: null,
      target: CHECKLIST_TARGET,
      met: ours >= CHECKLIST_TARGET,
      bytes: letter.length,
      rounds: ROUNDS,
    },
  };
}

async function main(): Promise<Figures> {
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
  const checklist = checklistRate(opts);
  const linearity = textLinearity();
  const worst = linearity.reduce((a, b) => (b.worst.ratio > a.worst.ratio ? b : a));
  return Promise.resolve({
    ...checklist,
    text_linearity: {
      ours: worst.worst.ratio,
      floor: null,
      unit: 'x (time per KB at 1 MB / at 10 KB, worst path and shape)',
      ratio: null,
      target: LINEARITY_TARGET,
      met: worst.worst.ratio <= LINEARITY_TARGET,
      worst_path: worst.operation,
      worst_shape: worst.worst.shape,
      paths: Object.fromEntries(linearity.map((l) => [l.operation, { median: l.median, worst: l.worst.ratio }])),
      free_text_ms: Object.fromEntries(rows.map((r) => [r.name, { ours: r.ours.median, floor: r.floor.median }])),
    },
  });
}

/**
 * text_linearity: for each free-text path, the worst growth in time per KB from 10 KB to 1 MB over the adversarial
 * shapes (1.0 is perfectly linear; a quadratic path gives about 100). Aim: within 2x.
 */
function textLinearity(): { operation: string; worst: Growth; median: number }[] {
  console.log(`\ntext_linearity: time per KB at 1 MB / at 10 KB, over ${ADVERSARIAL_SHAPES.length} adversarial shapes`);
  console.log(`${'path'.padEnd(24)}${'median'.padStart(8)}${'worst'.padStart(8)}  worst shape (ms at 1 MB)`);
  const result = TEXT_OPERATIONS.map((op) => {
    const growth = ADVERSARIAL_SHAPES.map((shape) => measureGrowth(shape, op, 10 * 1024, 1024 * 1024, 2));
    const worst = growth.reduce((a, b) => (b.ratio > a.ratio ? b : a));
    const median = summarise(growth.map((g) => g.ratio)).median;
    console.log(
      `${op.name.padEnd(24)}${`${median.toFixed(2)}x`.padStart(8)}${`${worst.ratio.toFixed(2)}x`.padStart(8)}  ${worst.shape} (${worst.largeMs.toFixed(0)})`,
    );
    return { operation: op.name, worst, median };
  });
  const worst = Math.max(...result.map((r) => r.worst.ratio));
  console.log(`text_linearity ${worst.toFixed(2)}x (aim: 2x or less)`);
  return result;
}

figureScript('text', main);
