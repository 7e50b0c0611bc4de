import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';

const FILE = path.join(__dirname, '..', '..', 'test-output', 'faults.json');

/** Logs a fault test's counts and keeps them in test-output/faults.json, under the test's name. */
export function reportFault(name: string, counts: Record<string, number | string | boolean>): void {
  console.log(`fault ${name}: ${JSON.stringify(counts)}`);
  mkdirSync(path.dirname(FILE), { recursive: true });
  let all: Record<string, unknown> = {};
  try {
    all = JSON.parse(readFileSync(FILE, 'utf8')) as Record<string, unknown>;
  } catch {
    // the first report of the run
  }
  all[name] = { ...counts, at: new Date().toISOString() };
  writeFileSync(FILE, `${JSON.stringify(all, null, 2)}\n`);
}
