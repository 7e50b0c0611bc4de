import { isValidEmail } from './email';
import { ElementName } from './elements';

export interface StructuredNotice {
  complainant?: { name?: string; company?: string; email?: string; phone?: string; address?: string; role?: 'owner' | 'agent'; ownerName?: string };
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
  if (c.role === 'agent' && filled(c.ownerName)) authority.push(field('complainant.role', 'agent'), field('complainant.ownerName', c.ownerName));
  // The perjury affirmation includes "I am the owner or authorised to act on behalf of the owner".
  if (n.perjury === true) authority.push(field('perjury', true));
  add('authority', authority);

  add('work', [
    ...(filled(n.work?.description) ? [field('work.description', n.work.description)] : []),
    ...(filled(n.work?.url) ? [field('work.url', n.work.url)] : []),
  ]);
  add('infringing_material', (n.infringingUrls ?? []).filter(filled).map((u) => field('infringingUrls', u)));
  add('search_term', (n.searchTerms ?? []).filter(filled).map((t) => field('searchTerms', t)));
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
