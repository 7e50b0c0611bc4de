import { isValidEmail } from '../checklist';
import type { Locale } from '../core/i18n/locales';
import { normaliseEmail } from '../core/privacy/personal-data.service';
import { PrivacyRequestKind } from './privacy-request.entity';
import type { PrivacyRequestInput } from './privacy-requests.service';

/** The request form's fields, as posted (application/x-www-form-urlencoded). */
export interface PrivacyFormFields {
  email?: string;
  kind?: string;
  minor?: string;
  requesterEmail?: string;
  details?: string;
}

export type PrivacyFormErrors = Partial<Record<keyof PrivacyFormFields, string>>;

const FIELDS: (keyof PrivacyFormFields)[] = ['email', 'kind', 'minor', 'requesterEmail', 'details'];

/** How long each field may be; the details are the requester's own words about the request. */
export const PRIVACY_FORM_LIMITS = { email: 320, requesterEmail: 320, details: 5_000 } as const;

/**
 * The largest post the form takes. Far above what its fields may hold (5,000 characters of details, each up to 4
 * bytes of UTF-8, percent-encoded), so that only a body nobody typed is refused whole.
 */
export const PRIVACY_FORM_MAX_BYTES = 64 * 1024;

/** Picks the known fields as trimmed strings; anything else posted is ignored. */
export function readPrivacyForm(body: unknown): PrivacyFormFields {
  const source = (body && typeof body === 'object' ? body : {}) as Record<string, unknown>;
  const fields: PrivacyFormFields = {};
  for (const key of FIELDS) {
    const v = source[key];
    if (typeof v === 'string') fields[key] = v.trim();
  }
  return fields;
}

/** A catalog message in the form's language (TemplateRenderer.translate). */
export type PrivacyFormSay = (key: string, values?: Record<string, unknown>) => string;

/** What is wrong with the form, field by field, in words that say what to do, in the form's language (`say`). */
export function validatePrivacyForm(f: PrivacyFormFields, say: PrivacyFormSay): PrivacyFormErrors {
  const errors: PrivacyFormErrors = {};
  const minor = f.minor === 'yes';
  const error = (key: string, values?: Record<string, unknown>) => say(`privacyForm.errors.${key}`, values);
  for (const [key, max] of Object.entries(PRIVACY_FORM_LIMITS) as [keyof typeof PRIVACY_FORM_LIMITS, number][]) {
    const length = f[key]?.length ?? 0;
    if (length > max)
      errors[key] = error('tooLong', { max: max.toLocaleString('en-US'), length: length.toLocaleString('en-US') });
  }
  if (!errors.email) {
    if (!f.email) errors.email = error('emailMissing');
    else if (!isValidEmail(f.email)) errors.email = error('emailInvalid');
  }
  if (f.kind !== PrivacyRequestKind.Access && f.kind !== PrivacyRequestKind.Erasure) errors.kind = error('kind');
  else if (minor && f.kind === PrivacyRequestKind.Access) errors.kind = error('minorAccess');
  if (minor && !errors.requesterEmail) {
    if (!f.requesterEmail) errors.requesterEmail = error('requesterMissing');
    else if (!isValidEmail(f.requesterEmail)) errors.requesterEmail = error('requesterInvalid');
    else if (f.email && normaliseEmail(f.email) === normaliseEmail(f.requesterEmail))
      errors.requesterEmail = error('requesterSame');
  }
  return errors;
}

/** The request a valid form asks for, its mail to be written in the form's language. */
export function privacyRequestFromForm(f: PrivacyFormFields, language: Locale): PrivacyRequestInput {
  const minor = f.minor === 'yes';
  return {
    language,
    kind: f.kind as PrivacyRequestKind,
    email: f.email ?? '',
    minor,
    requesterEmail: minor ? f.requesterEmail : undefined,
    details: f.details || undefined,
  };
}
