import * as fs from 'fs';
import * as path from 'path';
import {
  COUNTER_NOTICE_ELEMENTS,
  type ElementName,
  type NoticeKind,
  TAKEDOWN_ELEMENTS,
  checkNotice,
} from '../../src/checklist';

export const UNLABELLED_CORPUS = path.resolve(__dirname, '../../../shared/corpus/github-dmca-unlabelled');
export const SAMPLE_LABELS = path.resolve(__dirname, '../fixtures/corpus-labels');

interface Label {
  file: string;
  kind: NoticeKind;
  elements: Partial<Record<ElementName, { present: boolean }>>;
}

export interface Agreement {
  notices: number;
  kind: { agree: number; total: number; wrong: string[] };
  elements: { kind: NoticeKind; element: ElementName; agree: number; total: number; wrong: string[] }[];
}

/** How the checklist agrees with a file of hand labels over the unlabelled corpus, read in place. */
export function labelAgreement(labelsFile: string): Agreement {
  const labels = fs
    .readFileSync(labelsFile, 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l) as Label);
  const texts = new Map(labels.map((l) => [l.file, fs.readFileSync(path.join(UNLABELLED_CORPUS, l.file), 'utf8')]));
  const wrongKind = labels.filter((l) => checkNotice({ text: texts.get(l.file) }).kind !== l.kind);
  const elements: Agreement['elements'] = [];
  for (const [kind, list] of [
    ['takedown', TAKEDOWN_ELEMENTS],
    ['counter_notice', COUNTER_NOTICE_ELEMENTS],
  ] as const) {
    const notices = labels.filter((l) => l.kind === kind);
    for (const element of list as readonly ElementName[]) {
      const labelled = notices.filter((l) => l.elements[element] !== undefined);
      if (labelled.length === 0) continue;
      const wrong = labelled.filter(
        (l) =>
          (checkNotice({ text: texts.get(l.file), kindHint: kind }).elements[element]?.present ?? false) !==
          l.elements[element]?.present,
      );
      elements.push({
        kind,
        element,
        agree: labelled.length - wrong.length,
        total: labelled.length,
        wrong: wrong.map((l) => `${l.file} (label ${String(l.elements[element]?.present)})`),
      });
    }
  }
  return {
    notices: labels.length,
    kind: {
      agree: labels.length - wrongKind.length,
      total: labels.length,
      wrong: wrongKind.map((l) => `${l.file}: ${l.kind}`),
    },
    elements,
  };
}

export const percent = (agree: number, total: number): string =>
  total === 0 ? '-' : ((agree / total) * 100).toFixed(1);
