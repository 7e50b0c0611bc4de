import * as fs from 'fs';
import * as path from 'path';
import { labelAgreement, percent, SAMPLE_LABELS } from '../../test/support/label-agreement';

/**
 * Agreement with the parts of the hand-labelled samples of the unlabelled corpus (test/fixtures/corpus-labels/) that
 * rules may be written against (the first draw's tune part, the second draw tune-2, tune-3: the third draw with the
 * likely misses a scan found, and tune-4: the takedowns plainer good-faith wordings were learnt from), with each miss
 * named. It reports and sets no bar; the held-back part's bar, without its misses, is heldout.spec.ts's.
 */
// heldout.jsonl is never named here: its misses must not be printed (heldout.spec.ts prints its totals only).
const FILES = (
  process.env.CHECKLIST_LABELS
    ? [process.env.CHECKLIST_LABELS]
    : ['tune.jsonl', 'tune-2.jsonl', 'tune-3.jsonl', 'tune-4.jsonl']
).filter((f) => path.basename(f) !== 'heldout.jsonl');

describe.each(FILES.map((f) => path.join(SAMPLE_LABELS, f)))('agreement with %s', (TUNE) => {
  (fs.existsSync(TUNE) ? it : it.skip)('reports kind and element agreement, with each miss', () => {
    const a = labelAgreement(TUNE);
    const lines = [`Checklist agreement with ${path.relative(process.cwd(), TUNE)} (${a.notices})`];
    lines.push(`kind ${a.kind.agree}/${a.kind.total} ${percent(a.kind.agree, a.kind.total)}%`);
    lines.push(...a.kind.wrong.map((w) => `  wrong: ${w}`));
    for (const e of a.elements) {
      lines.push(`${e.kind} ${e.element.padEnd(22)} ${e.agree}/${e.total} ${percent(e.agree, e.total)}%`);
      lines.push(...e.wrong.map((w) => `  wrong: ${w}`));
    }
    console.log(lines.join('\n'));
    expect(a.notices).toBeGreaterThan(0);
  });
});
