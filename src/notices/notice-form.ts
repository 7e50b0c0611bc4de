import type { StructuredNotice } from '../checklist';
import { isValidEmail } from '../checklist';

/** The public form's fields, as posted (application/x-www-form-urlencoded). */
export interface NoticeFormFields {
  name?: string;
  company?: string;
  email?: string;
  phone?: string;
  address?: string;
  role?: string;
  ownerName?: string;
  workDescription?: string;
  workUrl?: string;
  infringingUrls?: string;
  searchTerms?: string;
  goodFaith?: string;
  perjury?: string;
  signature?: string;
  consent?: string;
}

export const FORM_FIELDS: (keyof NoticeFormFields)[] = [
  'name',
  'company',
  'email',
  'phone',
  'address',
  'role',
  'ownerName',
  'workDescription',
  'workUrl',
  'infringingUrls',
  'searchTerms',
  'goodFaith',
  'perjury',
  'signature',
  'consent',
];

const LIMITS: Partial<Record<keyof NoticeFormFields, number>> = {
  name: 300,
  company: 300,
  email: 320,
  phone: 100,
  address: 1000,
  ownerName: 300,
  workDescription: 10_000,
  workUrl: 4096,
  infringingUrls: 2_000_000,
  searchTerms: 5_000,
  signature: 300,
};

export type FormErrors = Partial<Record<keyof NoticeFormFields, string>>;

/** A catalog message in the form's language (TemplateRenderer.translate). */
export type FormSay = (key: string, values?: Record<string, unknown>) => string;

/** Picks the known fields as trimmed strings; anything else posted is ignored. */
export function readForm(body: unknown): NoticeFormFields {
  const source = (body && typeof body === 'object' ? body : {}) as Record<string, unknown>;
  const fields: NoticeFormFields = {};
  for (const key of FORM_FIELDS) {
    const v = source[key];
    if (typeof v === 'string') fields[key] = v.trim();
  }
  return fields;
}

/**
 * The form guides a person to a complete notice, so it asks for every element inline rather than accepting a
 * deficient one (the API and email keep those).
 */
export function validateForm(f: NoticeFormFields, maxUrls: number, say: FormSay): FormErrors {
  const errors: FormErrors = {};
  for (const [key, max] of Object.entries(LIMITS) as [keyof NoticeFormFields, number][]) {
    if ((f[key]?.length ?? 0) > max) errors[key] = say('form.errors.tooLong', { max });
  }
  if (!f.name) errors.name = say('form.errors.name');
  if (!f.email) errors.email = say('form.errors.emailMissing');
  else if (!isValidEmail(f.email)) errors.email = say('form.errors.emailInvalid');
  if (f.role !== 'owner' && f.role !== 'agent') errors.role = say('form.errors.role');
  if (f.role === 'agent' && !f.ownerName) errors.ownerName = say('form.errors.ownerName');
  if (!f.workDescription && !f.workUrl) errors.workDescription = say('form.errors.workDescription');
  const urls = lines(f.infringingUrls);
  if (urls.length === 0) errors.infringingUrls = say('form.errors.urlsMissing');
  else if (urls.length > maxUrls) errors.infringingUrls = say('form.errors.urlsTooMany', { max: maxUrls });
  if (terms(f.searchTerms).length === 0) errors.searchTerms = say('form.errors.searchTerms');
  if (f.goodFaith !== 'yes') errors.goodFaith = say('form.errors.goodFaith');
  if (f.perjury !== 'yes') errors.perjury = say('form.errors.perjury');
  if (!f.signature || f.signature.length < 2) errors.signature = say('form.errors.signature');
  if (f.consent !== 'yes') errors.consent = say('form.errors.consent');
  return errors;
}

export function structuredFromForm(f: NoticeFormFields): StructuredNotice {
  return {
    complainant: {
      name: f.name,
      company: f.company || undefined,
      email: f.email,
      phone: f.phone || undefined,
      address: f.address || undefined,
      role: f.role === 'agent' ? 'agent' : 'owner',
      ownerName: f.role === 'agent' ? f.ownerName : undefined,
    },
    work: { description: f.workDescription || undefined, url: f.workUrl || undefined },
    infringingUrls: lines(f.infringingUrls),
    searchTerms: terms(f.searchTerms),
    goodFaith: f.goodFaith === 'yes',
    perjury: f.perjury === 'yes',
    signature: f.signature,
  };
}

function lines(s: string | undefined): string[] {
  return (s ?? '')
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter(Boolean);
}

function terms(s: string | undefined): string[] {
  return (s ?? '')
    .split(/[\n,]/)
    .map((t) => t.trim())
    .filter(Boolean);
}
