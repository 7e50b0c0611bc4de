import { isValidEmail } from '../checklist';
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

/** What is wrong with the form, field by field, in words that say what to do. */
export function validatePrivacyForm(f: PrivacyFormFields): PrivacyFormErrors {
  const errors: PrivacyFormErrors = {};
  const minor = f.minor === 'yes';
  for (const [key, max] of Object.entries(PRIVACY_FORM_LIMITS) as [keyof typeof PRIVACY_FORM_LIMITS, number][]) {
    if ((f[key]?.length ?? 0) > max)
      errors[key] =
        `Please keep this under ${max.toLocaleString('en-US')} characters (it has ${f[key]?.length.toLocaleString('en-US')}).`;
  }
  if (!errors.email) {
    if (!f.email) errors.email = 'Enter the email address the data is about.';
    else if (!isValidEmail(f.email)) errors.email = 'Enter a valid email address, such as jo@example.org.';
  }
  if (f.kind !== PrivacyRequestKind.Access && f.kind !== PrivacyRequestKind.Erasure)
    errors.kind = 'Choose whether you want a copy of the data or want it erased.';
  else if (minor && f.kind === PrivacyRequestKind.Access)
    errors.kind = "For a child's data we take erasure requests: choose erasure, or write to us for a copy.";
  if (minor && !errors.requesterEmail) {
    if (!f.requesterEmail)
      errors.requesterEmail = 'Enter your own email address: we write to you there, not to the child.';
    else if (!isValidEmail(f.requesterEmail)) errors.requesterEmail = 'Enter a valid email address of your own.';
    else if (f.email && normaliseEmail(f.email) === normaliseEmail(f.requesterEmail))
      errors.requesterEmail = "Enter your own address, not the child's.";
  }
  return errors;
}

/** The request a valid form asks for. */
export function privacyRequestFromForm(f: PrivacyFormFields): PrivacyRequestInput {
  const minor = f.minor === 'yes';
  return {
    kind: f.kind as PrivacyRequestKind,
    email: f.email ?? '',
    minor,
    requesterEmail: minor ? f.requesterEmail : undefined,
    details: f.details || undefined,
  };
}
