import * as fs from 'fs';
import * as path from 'path';
import { COUNTER_NOTICE_ELEMENTS, ElementName, NoticeKind, TAKEDOWN_ELEMENTS, checkNotice } from './index';

const CORPUS = path.resolve(__dirname, '../../../shared/corpus/github-dmca');
const THRESHOLD = 0.95;

interface Label {
  file: string;
  kind: NoticeKind;
  elements: Partial<Record<ElementName, { present: boolean; evidence: string[] }>>;
  infringing_urls: string[];
}

const labels: Label[] = fs
  .readFileSync(path.join(CORPUS, 'labels.jsonl'), 'utf8')
  .split('\n')
  .filter((l) => l.trim() !== '')
  .map((l) => JSON.parse(l) as Label);
const texts = new Map(labels.map((l) => [l.file, fs.readFileSync(path.join(CORPUS, l.file), 'utf8')]));
const textOf = (l: Label): string => texts.get(l.file) ?? '';

/**
 * Absence variants cut the label's evidence out, but the evidence is the shortest carrier, not every one: a
 * variant is skipped when the rest of the text still holds the element's core wording (checked with markers
 * independent of the engine), and the cases below were read by hand and still hold an equivalent statement.
 */
const STILL_PRESENT_MARKERS: Partial<Record<ElementName, RegExp>> = {
  perjury: /perjury/i,
  good_faith: /good[\s-]*faith/i,
  authority:
    /copyright\s+(?:owner|holder)|authori[sz]ed\s+(?:to\s+act|agent|representative)|on\s+behalf\s+of|rights\s*holder|\bwe\s+represent|\bowns?\b|proprietary|our\s+(?:ip|copyright)/i,
  contact: /e-?mail|phone|\btel\b|fax|address|contact\s+(?:me|us|info|details)|@/i,
};
const STILL_PRESENT_BY_HAND: Record<string, string> = {
  'notices/2018-08-27-Nintendo.md:signature': 'the answered "type your full legal name below to sign" prompt remains',
  'notices/2018-08-30-Nintendo.md:signature': 'the answered "type your full legal name below to sign" prompt remains',
  'notices/2013-10-14-WHMCS.md:signature': 'a second closing, "Regards,\\n[private]", remains',
  'notices/2013-11-01-WHMCSLtd.md:signature': 'a second closing, "Regards,\\n[private]", remains',
  'notices/2017-10-10-JaaneKyun.md:signature':
    '"Regards, MarkScan Internet Enforcement Team" still signs for the agency',
  'notices/2017-10-30-QIWI.md:signature': 'a lone "[private]" still closes the letter where a name stood',
  'notices/2020-06-15-MPA.md:signature': 'a second redacted closing line remains before Exhibit A',
  'notices/2013-03-14-Electronic-Arts.md:contact':
    '"Redwood City, CA 94065" and "contact our IP enforcement group at" remain',
};
/** The work is described in free prose throughout most notices; cutting one description leaves others. */
const NOT_ASSERTED_ABSENCE: ElementName[] = ['work'];

const GOOD_FAITH_QUESTION =
  '**Do you have a good faith belief that use of the copyrighted materials described above on the infringing web pages is not authorized by the copyright owner, or its agent, or the law?**';
const PERJURY_QUESTION =
  '**Do you swear, under penalty of perjury, that the information in this notification is accurate and that you are the copyright owner, or are authorized to act on behalf of the owner?**';
const GOOD_FAITH_INSTRUCTION =
  "Please include the following statement: 'I have a good faith belief that use of the copyrighted materials described above is not authorized by the copyright owner, its agent, or the law.'";

interface Tally {
  agree: number;
  total: number;
}
const tally = (): Tally => ({ agree: 0, total: 0 });
const rate = (t: Tally): number => (t.total === 0 ? 1 : t.agree / t.total);
const row = (name: string, t: Tally): string =>
  `${name.padEnd(34)} ${String(t.agree).padStart(4)}/${String(t.total).padEnd(4)} ${(rate(t) * 100).toFixed(1).padStart(6)}%`;

function cut(text: string, evidence: string[]): string {
  return evidence.reduce((t, e) => t.split(e).join('\n'), text);
}

const report: string[] = [];
afterAll(() => {
  console.log(['Checklist agreement with the github-dmca corpus labels', ...report].join('\n'));
});

describe('corpus agreement', () => {
  const takedowns = labels.filter((l) => l.kind === 'takedown');
  const counters = labels.filter((l) => l.kind === 'counter_notice');
  const results = new Map(labels.map((l) => [l.file, checkNotice({ text: textOf(l) })]));

  it('classifies the kind of ≥95% of notices', () => {
    const t = tally();
    const wrong: string[] = [];
    for (const l of labels) {
      t.total++;
      if (results.get(l.file)?.kind === l.kind) t.agree++;
      else wrong.push(`${l.file}: ${l.kind} -> ${results.get(l.file)?.kind}`);
    }
    report.push('', 'kind', row('kind (all notices)', t), ...wrong.map((w) => `  wrong: ${w}`));
    expect(rate(t)).toBeGreaterThanOrEqual(THRESHOLD);
  });

  it.each([
    ['takedown', TAKEDOWN_ELEMENTS as readonly ElementName[], takedowns],
    ['counter_notice', COUNTER_NOTICE_ELEMENTS as readonly ElementName[], counters],
  ] as const)('agrees on every %s element for ≥95% of labelled notices', (kind, elements, notices) => {
    report.push('', `${kind} elements (present/absent vs label, over ${notices.length} notices)`);
    const failures: string[] = [];
    for (const element of elements) {
      const t = tally();
      for (const l of notices) {
        const label = l.elements[element];
        if (!label) continue; // search_term is site policy, not labelled in this corpus
        t.total++;
        const got = results.get(l.file)?.elements[element]?.present ?? false;
        if (got === label.present) t.agree++;
      }
      if (t.total === 0) continue;
      report.push(row(element, t));
      if (rate(t) < THRESHOLD) failures.push(row(element, t));
    }
    expect(failures).toEqual([]);
  });

  it('quotes evidence verbatim from the notice', () => {
    const notVerbatim = labels.flatMap((l) =>
      Object.values(results.get(l.file)?.elements ?? {}).flatMap((r) =>
        r.evidence.filter((e) => !textOf(l).includes(e)).map((e) => `${l.file}: ${e}`),
      ),
    );
    expect(notVerbatim).toEqual([]);
  });

  it('reads an element absent once its evidence is cut out (absence variants)', () => {
    const tallies = new Map<ElementName, Tally>();
    const skipped = new Map<ElementName, number>();
    const misses: string[] = [];
    for (const l of takedowns) {
      for (const element of TAKEDOWN_ELEMENTS) {
        const label = l.elements[element];
        if (!label?.present || label.evidence.length === 0) continue;
        const variant = cut(textOf(l), label.evidence);
        const stillThere =
          STILL_PRESENT_BY_HAND[`${l.file}:${element}`] !== undefined ||
          (STILL_PRESENT_MARKERS[element]?.test(variant) ?? false) ||
          (element === 'infringing_material' && l.infringing_urls.some((u) => variant.includes(u)));
        if (stillThere) {
          skipped.set(element, (skipped.get(element) ?? 0) + 1);
          continue;
        }
        const t = tallies.get(element) ?? tally();
        t.total++;
        const got = checkNotice({ text: variant, kindHint: 'takedown' }).elements[element];
        if (got?.present === false) t.agree++;
        else misses.push(`${l.file} ${element}: ${JSON.stringify(got?.evidence)}`);
        tallies.set(element, t);
      }
    }
    report.push('', 'absence variants (evidence cut out, element must read absent)');
    const failures: string[] = [];
    for (const element of TAKEDOWN_ELEMENTS) {
      const t = tallies.get(element) ?? tally();
      const asserted = !NOT_ASSERTED_ABSENCE.includes(element);
      report.push(`${row(element, t)}  skipped ${skipped.get(element) ?? 0}${asserted ? '' : '  (not asserted)'}`);
      if (asserted && rate(t) < THRESHOLD) failures.push(row(element, t));
    }
    expect(failures).toEqual([]);
  });

  describe('traps: a form question or an instruction quoting the statement is not the statement', () => {
    const withGoodFaith = takedowns.filter((l) => (l.elements.good_faith?.evidence.length ?? 0) > 0);
    const withPerjury = takedowns.filter(
      (l) =>
        (l.elements.perjury?.evidence.length ?? 0) > 0 &&
        !/perjury/i.test(cut(textOf(l), l.elements.perjury?.evidence ?? [])),
    );
    const goodFaithCut = (l: Label): string => cut(textOf(l), l.elements.good_faith?.evidence ?? []);
    const clean = withGoodFaith.filter((l) => !/good[\s-]*faith/i.test(goodFaithCut(l)));

    it.each([
      ['unanswered', ''],
      ['answered [no]', '[no]'],
      ['answered No', 'No'],
    ])('good-faith question %s reads absent', (_name, answer) => {
      const wrong = clean.filter(
        (l) =>
          checkNotice({ text: `${goodFaithCut(l)}\n\n${GOOD_FAITH_QUESTION}\n\n${answer}\n`, kindHint: 'takedown' })
            .elements.good_faith?.present,
      );
      expect(clean.length).toBeGreaterThan(50);
      expect(wrong.map((l) => l.file)).toEqual([]);
    });

    it('good-faith question answered "Yes" reads present', () => {
      const wrong = clean.filter(
        (l) =>
          !checkNotice({ text: `${goodFaithCut(l)}\n\n${GOOD_FAITH_QUESTION}\n\nYes\n`, kindHint: 'takedown' }).elements
            .good_faith?.present,
      );
      expect(wrong.map((l) => l.file)).toEqual([]);
    });

    it('a quoted instruction to include the good-faith statement reads absent', () => {
      const wrong = clean.filter(
        (l) =>
          checkNotice({ text: `${GOOD_FAITH_INSTRUCTION}\n\n${goodFaithCut(l)}`, kindHint: 'takedown' }).elements
            .good_faith?.present,
      );
      expect(wrong.map((l) => l.file)).toEqual([]);
    });

    it('an unanswered perjury question reads absent', () => {
      const wrong = withPerjury.filter((l) => {
        const text = `${cut(textOf(l), l.elements.perjury?.evidence ?? [])}\n\n${PERJURY_QUESTION}\n\n`;
        return checkNotice({ text, kindHint: 'takedown' }).elements.perjury?.present;
      });
      expect(withPerjury.length).toBeGreaterThan(50);
      expect(wrong.map((l) => l.file)).toEqual([]);
    });
  });
});
