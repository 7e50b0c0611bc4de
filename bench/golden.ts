/**
 * Golden output of the free-text paths, to show that a change for speed changed nothing else. For every text of
 * the two GitHub corpora (../shared/corpus/github-dmca and github-dmca-unlabelled, read in place) and every
 * adversarial shape at 10 KB and 100 KB, it runs checkNotice, sortLinks (siteDomains ['example.com'], the
 * provider registry), replyText, highlightEvidence (fed the checklist's evidence, as bench/adversarial.ts does) and
 * redactPersonalData, and writes one line per text and path, `<text>\t<path>\t<sha256 of the JSON output>`, to the
 * file given:
 *
 *   npm run -s build && node dist/bench/golden.js /tmp/golden-before.txt
 *   (change the code) npm run -s build && node dist/bench/golden.js /tmp/golden-after.txt
 *   cmp /tmp/golden-before.txt /tmp/golden-after.txt
 *
 * Keep the files outside the repository: they are a comparison, not a fixture.
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { checkNotice, replyText } from '../src/checklist';
import { projectRoot } from '../src/core/paths';
import { redactPersonalData } from '../src/core/privacy/redact';
import { loadProviderRegistry, sortLinks } from '../src/links';
import { highlightEvidence } from '../src/staff-ui/evidence-highlight';
import { ADVERSARIAL_SHAPES } from './adversarial';

const CORPORA = ['github-dmca', 'github-dmca-unlabelled'];

/** Every file under `dir`, sorted, as paths relative to it. */
function filesUnder(dir: string, prefix = ''): string[] {
  return readdirSync(dir)
    .sort()
    .flatMap((name) => {
      const full = path.join(dir, name);
      const rel = prefix ? `${prefix}/${name}` : name;
      return statSync(full).isDirectory() ? filesUnder(full, rel) : [rel];
    });
}

function main(): void {
  const out = process.argv[2];
  if (!out) {
    console.error('usage: node dist/bench/golden.js <output file>');
    process.exit(2);
  }
  const opts = { siteDomains: ['example.com'], registry: loadProviderRegistry() };
  const corpusRoot = path.resolve(projectRoot(), '../shared/corpus');
  const texts: { name: string; text: string }[] = [];
  for (const corpus of CORPORA) {
    const notices = path.join(corpusRoot, corpus, 'notices');
    for (const file of filesUnder(notices))
      texts.push({ name: `${corpus}/${file}`, text: readFileSync(path.join(notices, file), 'utf8') });
  }
  for (const shape of ADVERSARIAL_SHAPES)
    for (const kb of [10, 100]) texts.push({ name: `shape/${shape.name}/${kb}KB`, text: shape.make(kb * 1024) });

  const sha = (value: unknown): string =>
    createHash('sha256')
      .update(JSON.stringify(value) ?? 'undefined')
      .digest('hex');
  const lines: string[] = [];
  for (const { name, text } of texts) {
    const checked = checkNotice({ text });
    const evidence = Object.entries(checked.elements).map(([element, r]) => ({ element, quotes: r?.evidence ?? [] }));
    lines.push(`${name}\tchecklist\t${sha(checked)}`);
    lines.push(`${name}\tlink sorting\t${sha(sortLinks({ text }, opts))}`);
    lines.push(`${name}\tevidence highlighting\t${sha(highlightEvidence(text, evidence))}`);
    lines.push(`${name}\treply stripping\t${sha(replyText(text))}`);
    lines.push(`${name}\tredaction\t${sha(redactPersonalData(text))}`);
  }
  writeFileSync(out, `${lines.join('\n')}\n`);
  console.log(`${texts.length} texts, ${lines.length} lines written to ${out}`);
}

main();
