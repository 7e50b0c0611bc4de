import { isSendersStatement } from './form';
import { NoticeText, Span, evidenceOf, matchAll } from './text';

const SENTENCE_MAX = 240;

/** Extends a span to the end of its sentence (bounded), so evidence reads as the statement itself. */
export function toSentenceEnd(doc: NoticeText, span: Span): Span {
  const tail = doc.text.slice(span.end, span.end + SENTENCE_MAX);
  const stop = /[.!?](?=\s|$)|\n\s*\n/.exec(tail);
  return { start: span.start, end: span.end + (stop ? stop.index + (stop[0].trim() ? 1 : 0) : tail.length) };
}

/** Matches of `re` that are the sender's own statement, extended to their sentence end. */
export function statements(doc: NoticeText, re: RegExp, accept?: (span: Span) => boolean): Span[] {
  return statementsAt(doc, matchAll(doc.text, re), accept);
}

/** Of the spans found, those that are the sender's own statement, extended to their sentence end. */
export function statementsAt(doc: NoticeText, found: Span[], accept?: (span: Span) => boolean): Span[] {
  return found
    .filter((span) => (accept ? accept(span) : true))
    .filter((span) => isSendersStatement(doc, span))
    .map((span) => toSentenceEnd(doc, span));
}

/** Plain matches: facts such as an address or a label, which no form quotes as a question. */
export function facts(doc: NoticeText, re: RegExp): Span[] {
  return matchAll(doc.text, re);
}

/**
 * Longest evidence quote. A form answer is quoted whole (up to 12 lines), and one line may hold thousands of URLs;
 * a longer quote is cut to a verbatim prefix ending at a word boundary. (The longest in the corpus is ~1,500.)
 */
export const EVIDENCE_MAX_CHARS = 2000;

/** `e` cut to at most EVIDENCE_MAX_CHARS, before a whitespace where there is one: still a verbatim substring. */
export function capEvidence(e: string): string {
  if (e.length <= EVIDENCE_MAX_CHARS) return e;
  const head = e.slice(0, EVIDENCE_MAX_CHARS + 1);
  const space = head.search(/\s\S*$/);
  return (space > EVIDENCE_MAX_CHARS / 2 ? head.slice(0, space) : head.slice(0, EVIDENCE_MAX_CHARS)).trimEnd();
}

/** At most `limit` evidence quotes, in text order, none contained in another, each at most EVIDENCE_MAX_CHARS. */
export function evidenceList(doc: NoticeText, spans: Span[], limit = 3): string[] {
  const out: string[] = [];
  for (const span of [...spans].sort((a, b) => a.start - b.start)) {
    const e = capEvidence(evidenceOf(doc, span));
    if (e && !out.some((o) => o.includes(e) || e.includes(o))) out.push(e);
    if (out.length >= limit) break;
  }
  return out;
}

const answers = new WeakMap<NoticeText, Map<(doc: NoticeText) => Span[], Span[]>>();

/**
 * A detector's spans for a text, found once: the kind detector and the checklist ask for the same elements of the
 * same text (perjury up to three times). The answer is shared, so callers copy it before changing it.
 */
export function perText(doc: NoticeText, detect: (doc: NoticeText) => Span[]): Span[] {
  let found = answers.get(doc);
  if (!found) answers.set(doc, (found = new Map<(doc: NoticeText) => Span[], Span[]>()));
  let spans = found.get(detect);
  if (!spans) found.set(detect, (spans = detect(doc)));
  return spans;
}
