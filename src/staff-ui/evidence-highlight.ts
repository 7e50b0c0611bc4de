/** A run of notice text, and the elements whose evidence covers it (none for plain text). */
export interface EvidenceSegment<E extends string = string> {
  text: string;
  elements: E[];
}

/** One element's evidence: quotes the checker took verbatim from the notice's text. */
export interface ElementEvidence<E extends string = string> {
  element: E;
  quotes: readonly string[];
}

/** Occurrences of one quote marked at most; a short quote ("Jane") may recur throughout a long letter. */
export const MAX_MARKS_PER_QUOTE = 20;

/**
 * Cuts `text` into segments so that a page can mark the evidence of each element where it stands. Every occurrence
 * of each quote is marked (up to MAX_MARKS_PER_QUOTE); where quotes of several elements overlap, the segment lists
 * each of them, in the order `evidence` gives the elements. Quotes not found in the text (structured-field
 * descriptions such as "field signature: Jane Roe", or evidence from another notice of the case) mark nothing.
 * Joining the segments' text gives `text` back unchanged. Pure: the caller escapes the text when it renders it.
 */
export function highlightEvidence<E extends string>(
  text: string,
  evidence: readonly ElementEvidence<E>[],
): EvidenceSegment<E>[] {
  const order = new Map<E, number>();
  for (const { element } of evidence) if (!order.has(element)) order.set(element, order.size);

  // Each quote occurrence opens its element's mark at `start` and closes it at `end`.
  const changes = new Map<number, Map<E, number>>();
  const change = (at: number, element: E, by: number): void => {
    const here = changes.get(at) ?? new Map<E, number>();
    here.set(element, (here.get(element) ?? 0) + by);
    changes.set(at, here);
  };
  for (const { element, quotes } of evidence) {
    for (const quote of new Set(quotes)) {
      if (quote.trim() === '') continue;
      let from = 0;
      for (let marks = 0; marks < MAX_MARKS_PER_QUOTE; marks++) {
        const start = text.indexOf(quote, from);
        if (start < 0) break;
        change(start, element, +1);
        change(start + quote.length, element, -1);
        from = start + quote.length;
      }
    }
  }

  const cuts = [...new Set([0, text.length, ...changes.keys()])].sort((a, b) => a - b);
  const open = new Map<E, number>();
  const segments: EvidenceSegment<E>[] = [];
  for (let i = 0; i < cuts.length - 1; i++) {
    for (const [element, by] of changes.get(cuts[i]) ?? []) {
      const count = (open.get(element) ?? 0) + by;
      if (count > 0) open.set(element, count);
      else open.delete(element);
    }
    const piece = text.slice(cuts[i], cuts[i + 1]);
    if (piece === '') continue;
    const elements = [...open.keys()].sort((a, b) => (order.get(a) ?? 0) - (order.get(b) ?? 0));
    const last = segments[segments.length - 1];
    if (last && sameElements(last.elements, elements)) last.text += piece;
    else segments.push({ text: piece, elements });
  }
  return segments;
}

function sameElements<E>(a: readonly E[], b: readonly E[]): boolean {
  return a.length === b.length && a.every((e, i) => e === b[i]);
}
