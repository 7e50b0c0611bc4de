import * as fs from 'fs';
import * as path from 'path';
import { COUNTER_NOTICE_ELEMENTS, ElementName, NoticeKind, TAKEDOWN_ELEMENTS, checkNotice } from './index';

/**
 * Agreement with the labels of a sample of the unlabelled corpus (test/fixtures/corpus-labels/). It reports, it
 * sets no bar: the tune file is read while writing rules, and the held-back file only by whoever measures them,
 * with CHECKLIST_LABELS=heldout.jsonl. Skipped while the file is not there.
 */
const CORPUS = path.resolve(__dirname, '../../../shared/corpus/github-dmca-unlabelled');
const LABELS = path.resolve(
  __dirname,
  '../../test/fixtures/corpus-labels',
  process.env.CHECKLIST_LABELS ?? 'tune.jsonl',
);

interface Label {
  file: string;
  kind: NoticeKind;
  elements: Partial<Record<ElementName, { present: boolean }>>;
}

const labels: Label[] = fs.existsSync(LABELS)
  ? fs
      .readFileSync(LABELS, 'utf8')
      .split('\n')
      .filter((l) => l.trim() !== '')
      .map((l) => JSON.parse(l) as Label)
  : [];

const pct = (agree: number, total: number): string => (total === 0 ? '-' : ((agree / total) * 100).toFixed(1));

(labels.length > 0 ? describe : describe.skip)(`agreement with ${path.basename(LABELS)}`, () => {
  it('reports kind and element agreement', () => {
    const lines: string[] = [`Checklist agreement with ${path.relative(process.cwd(), LABELS)} (${labels.length})`];
    const texts = new Map(labels.map((l) => [l.file, fs.readFileSync(path.join(CORPUS, l.file), 'utf8')]));
    const kindAgree = labels.filter((l) => checkNotice({ text: texts.get(l.file) }).kind === l.kind);
    lines.push(`kind ${kindAgree.length}/${labels.length} ${pct(kindAgree.length, labels.length)}%`);
    for (const l of labels.filter((x) => !kindAgree.includes(x)))
      lines.push(`  wrong: ${l.file}: ${l.kind} -> ${checkNotice({ text: texts.get(l.file) }).kind}`);
    for (const [kind, elements] of [
      ['takedown', TAKEDOWN_ELEMENTS],
      ['counter_notice', COUNTER_NOTICE_ELEMENTS],
    ] as const) {
      const notices = labels.filter((l) => l.kind === kind);
      for (const element of elements as readonly ElementName[]) {
        const labelled = notices.filter((l) => l.elements[element] !== undefined);
        if (labelled.length === 0) continue;
        const wrong = labelled.filter(
          (l) =>
            (checkNotice({ text: texts.get(l.file), kindHint: kind }).elements[element]?.present ?? false) !==
            l.elements[element]?.present,
        );
        const agree = labelled.length - wrong.length;
        lines.push(`${kind} ${element.padEnd(22)} ${agree}/${labelled.length} ${pct(agree, labelled.length)}%`);
        for (const l of wrong) lines.push(`  wrong: ${l.file} (label ${String(l.elements[element]?.present)})`);
      }
    }
    console.log(lines.join('\n'));
    expect(texts.size).toBe(labels.length);
  });
});
