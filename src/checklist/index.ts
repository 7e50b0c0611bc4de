import { counterContactSpans, consentSpans, mistakeSpans, removedMaterialSpans } from './counter-text';
import { contactSpans } from './contact';
import { COUNTER_NOTICE_ELEMENTS, ElementName, TAKEDOWN_ELEMENTS } from './elements';
import { NoticeKind, detectKind } from './kind';
import { searchTermSpans } from './search-term';
import { signatureSpans } from './signature';
import { evidenceList } from './spans';
import { StructuredNotice, looksLikeTakedown, structuredEvidence } from './structured';
import { authoritySpans, goodFaithSpans, infringingSpans, perjurySpans, workSpans } from './takedown-text';
import { NoticeText, Span, normalise } from './text';

export { COUNTER_NOTICE_ELEMENTS, ELEMENT_LABELS, TAKEDOWN_ELEMENTS } from './elements';
export type { CounterNoticeElement, ElementName, TakedownElement } from './elements';
export { isValidEmail } from './email';
export type { NoticeKind } from './kind';
export type { StructuredNotice } from './structured';

export interface ElementResult {
  present: boolean;
  /** Verbatim substrings of the text, or descriptions such as 'field complainant.email: a@b.c'. */
  evidence: string[];
}

export interface ChecklistInput {
  structured?: StructuredNotice;
  text?: string;
  kindHint?: NoticeKind;
}

export interface ChecklistResult {
  kind: NoticeKind;
  /** Exactly the element list of the kind: takedown or counter-notice elements; empty for retraction/other. */
  elements: Partial<Record<ElementName, ElementResult>>;
  /** Elements of that list not present, in list order. */
  missing: ElementName[];
  /** Nothing missing, and the kind has required elements. */
  complete: boolean;
}

const TEXT_DETECTORS: Record<ElementName, (doc: NoticeText) => Span[]> = {
  authority: authoritySpans,
  contact: contactSpans,
  work: workSpans,
  infringing_material: infringingSpans,
  search_term: searchTermSpans,
  good_faith: goodFaithSpans,
  perjury: perjurySpans,
  signature: signatureSpans,
  removed_material: removedMaterialSpans,
  mistake_statement: mistakeSpans,
  consent_jurisdiction: consentSpans,
};
const COUNTER_DETECTORS: Partial<Record<ElementName, (doc: NoticeText) => Span[]>> = { contact: counterContactSpans };

/**
 * Checks a notice for the elements the law (17 U.S.C. 512(c)(3) for takedowns, 512(g)(3) for counter-notices)
 * and site policy require. Structured fields and free text are combined: an element is present if either
 * supplies it. Pure and deterministic.
 */
export function checkNotice(input: ChecklistInput): ChecklistResult {
  const doc = input.text !== undefined && input.text.trim() !== '' ? normalise(input.text) : undefined;
  const structured = input.structured ?? {};
  const kind = input.kindHint ?? (looksLikeTakedown(structured) ? 'takedown' : doc ? detectKind(doc) : 'other');
  const list: readonly ElementName[] = kind === 'takedown' ? TAKEDOWN_ELEMENTS : kind === 'counter_notice' ? COUNTER_NOTICE_ELEMENTS : [];
  const fromFields = structuredEvidence(structured);

  const elements: Partial<Record<ElementName, ElementResult>> = {};
  for (const name of list) {
    const detector = (kind === 'counter_notice' ? COUNTER_DETECTORS[name] : undefined) ?? TEXT_DETECTORS[name];
    const evidence = [...(fromFields[name] ?? []), ...(doc ? evidenceList(doc, detector(doc)) : [])];
    elements[name] = { present: evidence.length > 0, evidence };
  }
  const missing = list.filter((name) => !elements[name]?.present);
  return { kind, elements, missing, complete: list.length > 0 && missing.length === 0 };
}
