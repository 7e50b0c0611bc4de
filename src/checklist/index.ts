import { counterContactSpans, consentSpans, mistakeSpans, removedMaterialSpans } from './counter-text';
import { contactSpans } from './contact';
import { COUNTER_NOTICE_ELEMENTS, ElementName, TAKEDOWN_ELEMENTS } from './elements';
import { NoticeKind, detectKind } from './kind';
import { searchTermSpans } from './search-term';
import { signatureSpans } from './signature';
import { evidenceList, perText } from './spans';
import { StructuredNotice, looksLikeTakedown, structuredEvidence } from './structured';
import { authoritySpans, goodFaithSpans, infringingSpans, perjurySpans, workSpans } from './takedown-text';
import { NoticeText, Span, normalise } from './text';
import { zhDetector } from './zh-counter';
import { clipUrls, readsChinese } from './zh-text';
import { isActionable, type LinkClassification } from '../links/link-classifier';

export { counterNoticeChecklist, type StructuredCounterNotice } from './counter-notice-fields';
export { COUNTER_NOTICE_ELEMENTS, ELEMENT_LABELS, TAKEDOWN_ELEMENTS } from './elements';
export type { CounterNoticeElement, ElementName, TakedownElement } from './elements';
export { isValidEmail } from './email';
export { detectLanguage } from './language';
export { replyText } from './reply-text';
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
  /**
   * The links the link sorter found in the text, when the caller has sorted them. A link it judged infringing and
   * actionable (on the site, or a file at a storage provider) identifies the material even where the wording around
   * it is too plain for the text detectors ("It is copied at https://...").
   */
  textLinks?: readonly { raw: string; role: string; classification: LinkClassification }[];
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
  const list: readonly ElementName[] =
    kind === 'takedown' ? TAKEDOWN_ELEMENTS : kind === 'counter_notice' ? COUNTER_NOTICE_ELEMENTS : [];
  const fromFields = structuredEvidence(structured);
  const chinese = doc !== undefined && readsChinese(doc);

  const elements: Partial<Record<ElementName, ElementResult>> = {};
  for (const name of list) {
    const detector = (kind === 'counter_notice' ? COUNTER_DETECTORS[name] : undefined) ?? TEXT_DETECTORS[name];
    const zh = chinese ? zhDetector(kind, name) : undefined;
    const found = doc ? perText(doc, detector) : [];
    const spans = doc ? (chinese ? clipUrls(doc, [...found, ...(zh ? zh(doc) : [])]) : found) : [];
    const evidence = [...(fromFields[name] ?? []), ...(doc ? evidenceList(doc, spans) : [])];
    if (name === 'infringing_material' && evidence.length === 0) evidence.push(...sortedLinkEvidence(input, doc));
    elements[name] = { present: evidence.length > 0, evidence };
  }
  const missing = list.filter((name) => !elements[name]?.present);
  return { kind, elements, missing, complete: list.length > 0 && missing.length === 0 };
}

const MAX_LINK_EVIDENCE = 3;

/** Verbatim URLs from the text that the link sorter found infringing and actionable. */
function sortedLinkEvidence(input: ChecklistInput, doc: NoticeText | undefined): string[] {
  if (!doc || !input.text) return [];
  const text = input.text;
  return (input.textLinks ?? [])
    .filter((l) => l.role === 'infringing' && isActionable(l.classification))
    .map((l) => l.raw)
    .filter((raw) => raw.length > 0 && text.includes(raw))
    .slice(0, MAX_LINK_EVIDENCE);
}
