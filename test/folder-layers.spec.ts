import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import * as ts from 'typescript';

const ROOT = resolve(__dirname, '..');
const SRC = join(ROOT, 'src');

/** Where the layers are put together: entry points, Nest wiring and the data source's entity list. */
function isExempt(file: string): boolean {
  const rel = relative(SRC, file).split(sep).join('/');
  return !rel.includes('/') || rel.endsWith('.module.ts') || rel === 'core/database/entities.ts';
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith('.ts') ? [path] : [];
  });
}

/** Top-level folder → the top-level folders its files import, as TypeScript reads the imports. */
function folderGraph(): Map<string, Set<string>> {
  const graph = new Map<string, Set<string>>();
  for (const file of sourceFiles(SRC)) {
    if (isExempt(file)) continue;
    const from = relative(SRC, file).split(sep)[0];
    const edges = graph.get(from) ?? graph.set(from, new Set()).get(from)!;
    for (const ref of ts.preProcessFile(readFileSync(file, 'utf8'), true, true).importedFiles) {
      if (!ref.fileName.startsWith('.')) continue;
      const target = relative(SRC, resolve(dirname(file), ref.fileName)).split(sep);
      if (target[0] !== '..' && target[0] !== from) edges.add(target[0]);
    }
  }
  return graph;
}

/** Every cycle's folders, found by depth-first search; none expected. */
function cycles(graph: Map<string, Set<string>>): string[][] {
  const found: string[][] = [];
  const state = new Map<string, 'open' | 'done'>();
  const stack: string[] = [];
  const visit = (node: string): void => {
    state.set(node, 'open');
    stack.push(node);
    for (const next of graph.get(node) ?? []) {
      if (state.get(next) === 'open') found.push([...stack.slice(stack.indexOf(next)), next]);
      else if (!state.has(next)) visit(next);
    }
    stack.pop();
    state.set(node, 'done');
  };
  for (const node of graph.keys()) if (!state.has(node)) visit(node);
  return found;
}

describe('folders under src/', () => {
  it('import each other without a cycle, direct or through other folders', () => {
    const graph = folderGraph();
    expect(graph.size).toBeGreaterThan(10);
    expect(cycles(graph).map((cycle) => cycle.join(' → '))).toEqual([]);
  });

  it('finds a cycle when there is one (the check can fail)', () => {
    const graph = new Map([
      ['cases', new Set(['core'])],
      ['core', new Set(['links'])],
      ['links', new Set(['cases'])],
    ]);
    expect(cycles(graph)).toEqual([['cases', 'core', 'links', 'cases']]);
  });

  it('are held to their layers by the lint rule, which refuses upward, peer and unlisted imports', () => {
    const out = execFileSync(process.execPath, [join(ROOT, 'eslint/folder-layers.test.mjs')], { encoding: 'utf8' });
    expect(out).toContain('every case passed');
  });
});
