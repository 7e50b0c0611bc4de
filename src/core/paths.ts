import { existsSync } from 'node:fs';
import * as path from 'node:path';

let root: string | undefined;

/** The folder holding package.json: the same from src/ under ts-jest and from dist/ when built. */
export function projectRoot(): string {
  if (root) return root;
  let dir = __dirname;
  while (!existsSync(path.join(dir, 'package.json'))) {
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error(`No package.json above ${__dirname}`);
    dir = parent;
  }
  root = dir;
  return root;
}
