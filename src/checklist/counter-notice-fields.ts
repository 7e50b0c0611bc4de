import { COUNTER_NOTICE_ELEMENTS, type ElementName } from './elements';
import { isValidEmail } from './email';
import type { ChecklistResult, ElementResult } from './index';

/** A counter-notice as the JSON API and the form take it: the 512(g)(3) elements as fields. */
export interface StructuredCounterNotice {
  counterNotifier?: { name?: string; email?: string; phone?: string; address?: string; country?: string };
  removedUrls?: string[];
  /** Affirmed under penalty of perjury: a good-faith belief the material was removed by mistake or misidentification. */
  mistakeStatement?: boolean;
  /** Consent to the jurisdiction of the federal district court, including acceptance of service from the complainant. */
  consentToJurisdiction?: boolean;
  /** Typed full legal name. */
  signature?: string;
}

const filled = (s: string | undefined): s is string => typeof s === 'string' && s.trim() !== '';
const field = (name: string, value: string | boolean): string => `field ${name}: ${String(value)}`;
const URLS_QUOTED = 5;

/**
 * The evidence each 512(g)(3) element draws from the fields. Contact is 512(g)(3)(D)'s "name, address, and
 * telephone number": all three, and a valid email besides (the site's policy, so that we can write back).
 */
export function counterNoticeFieldEvidence(c: StructuredCounterNotice): Partial<Record<ElementName, string[]>> {
  const out: Partial<Record<ElementName, string[]>> = {};
  const who = c.counterNotifier ?? {};
  if (filled(who.name) && filled(who.address) && filled(who.phone) && filled(who.email) && isValidEmail(who.email)) {
    out.contact = [
      field('counterNotifier.name', who.name),
      field('counterNotifier.address', who.address),
      field('counterNotifier.phone', who.phone),
      field('counterNotifier.email', who.email),
    ];
  }
  const urls = (c.removedUrls ?? []).filter(filled);
  if (urls.length > 0) {
    out.removed_material = urls.slice(0, URLS_QUOTED).map((u) => field('removedUrls', u));
    if (urls.length > URLS_QUOTED) out.removed_material.push(field('removedUrls', `… ${urls.length} in all`));
  }
  if (c.mistakeStatement === true) out.mistake_statement = [field('mistakeStatement', true)];
  if (c.consentToJurisdiction === true) out.consent_jurisdiction = [field('consentToJurisdiction', true)];
  const signature = c.signature?.trim();
  if (signature !== undefined && signature.length >= 2) out.signature = [field('signature', signature)];
  return out;
}

/**
 * A counter-notice's checklist from its fields and the checklist of its free text (when it has one): an element is
 * present when either supplies it, as for notices.
 */
export function counterNoticeChecklist(fields: StructuredCounterNotice, text?: ChecklistResult): ChecklistResult {
  const fromFields = counterNoticeFieldEvidence(fields);
  const elements: Partial<Record<ElementName, ElementResult>> = {};
  for (const name of COUNTER_NOTICE_ELEMENTS) {
    const evidence = [...(fromFields[name] ?? []), ...(text?.elements[name]?.evidence ?? [])];
    elements[name] = { present: evidence.length > 0, evidence };
  }
  const missing = COUNTER_NOTICE_ELEMENTS.filter((name) => !elements[name]?.present);
  return { kind: 'counter_notice', elements, missing, complete: missing.length === 0 };
}
