import { isValidEmail } from './email';
import { ElementName } from './elements';

export interface StructuredNotice {
  complainant?: {
    name?: string;
    company?: string;
    email?: string;
    phone?: string;
    address?: string;
    role?: 'owner' | 'agent';
    ownerName?: string;
  };
  work?: { description?: string; url?: string };
  infringingUrls?: string[];
  searchTerms?: string[];
  /** The sender affirmed the good-faith statement. */
  goodFaith?: boolean;
  /** The sender affirmed accuracy and authority under penalty of perjury. */
  perjury?: boolean;
  /** Typed full legal name. */
  signature?: string;
}

const filled = (s: string | undefined): s is string => typeof s === 'string' && s.trim() !== '';
const field = (name: string, value: string | boolean): string => `field ${name}: ${String(value)}`;

/** List fields quote this many entries as evidence; the rest are counted in one summary entry. */
export const LIST_EVIDENCE_MAX = 5;

/**
 * Evidence for a list field: the first LIST_EVIDENCE_MAX entries, then one summary entry (it starts with "…" after
 * the field name) counting the rest. A notice may list 10,000 URLs; the checklist need not copy them all.
 */
function listField(name: string, values: string[] | undefined, noun: string): string[] {
  const list = (values ?? []).filter(filled);
  const out = list.slice(0, LIST_EVIDENCE_MAX).map((v) => field(name, v));
  const more = list.length - out.length;
  if (more > 0) out.push(field(name, `… and ${more} more ${noun}${more === 1 ? '' : 's'} (${list.length} in all)`));
  return out;
}

/** Evidence each element draws from structured fields; an element with no entry is not supplied by them. */
export function structuredEvidence(n: StructuredNotice): Partial<Record<ElementName, string[]>> {
  const c = n.complainant ?? {};
  const out: Partial<Record<ElementName, string[]>> = {};
  const add = (element: ElementName, evidence: string[]): void => {
    if (evidence.length > 0) out[element] = evidence;
  };

  const email = c.email?.trim();
  if (email !== undefined && isValidEmail(email)) add('contact', [field('complainant.email', email)]);

  const authority: string[] = [];
  if (c.role === 'owner') authority.push(field('complainant.role', 'owner'));
  if (c.role === 'agent' && filled(c.ownerName))
    authority.push(field('complainant.role', 'agent'), field('complainant.ownerName', c.ownerName));
  // The perjury affirmation includes "I am the owner or authorised to act on behalf of the owner".
  if (n.perjury === true) authority.push(field('perjury', true));
  add('authority', authority);

  add('work', [
    ...(filled(n.work?.description) ? [field('work.description', n.work.description)] : []),
    ...(filled(n.work?.url) ? [field('work.url', n.work.url)] : []),
  ]);
  add('infringing_material', listField('infringingUrls', n.infringingUrls, 'URL'));
  add('search_term', listField('searchTerms', n.searchTerms, 'search term'));
  if (n.goodFaith === true) add('good_faith', [field('goodFaith', true)]);
  if (n.perjury === true) add('perjury', [field('perjury', true)]);
  const signature = n.signature?.trim();
  if (signature !== undefined && signature.length >= 2) add('signature', [field('signature', signature)]);
  return out;
}

/** Whether the structured fields alone say this is a takedown. */
export function looksLikeTakedown(n: StructuredNotice): boolean {
  return (n.infringingUrls ?? []).some(filled) || n.goodFaith === true || n.perjury === true;
}
