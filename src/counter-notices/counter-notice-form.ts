import { plainToInstance } from 'class-transformer';
import { validate, type ValidationError } from 'class-validator';
import { CounterNoticeStatus } from '../cases/counter-notice.entity';
import { ELEMENT_LABELS, isValidEmail } from '../checklist';
import type { CounterNoticeAnswer } from './counter-notices.service';
import { COUNTER_NOTICE_MAX_URLS, CreateCounterNoticeDto } from './dto/create-counter-notice.dto';

/** The public counter-notice form's fields, as posted (application/x-www-form-urlencoded). */
export interface CounterNoticeFormFields {
  caseReference?: string;
  name?: string;
  email?: string;
  phone?: string;
  address?: string;
  country?: string;
  removedUrls?: string;
  mistakeStatement?: string;
  consentToJurisdiction?: string;
  explanation?: string;
  signature?: string;
}

export const COUNTER_NOTICE_FORM_FIELDS: (keyof CounterNoticeFormFields)[] = [
  'caseReference',
  'name',
  'email',
  'phone',
  'address',
  'country',
  'removedUrls',
  'mistakeStatement',
  'consentToJurisdiction',
  'explanation',
  'signature',
];

export type CounterNoticeFormErrors = Partial<Record<keyof CounterNoticeFormFields, string>>;

/** Picks the known fields as trimmed strings; anything else posted is ignored. */
export function readCounterNoticeForm(body: unknown): CounterNoticeFormFields {
  const source = (body && typeof body === 'object' ? body : {}) as Record<string, unknown>;
  const fields: CounterNoticeFormFields = {};
  for (const key of COUNTER_NOTICE_FORM_FIELDS) {
    const v = source[key];
    if (typeof v === 'string') fields[key] = v.trim();
  }
  return fields;
}

/**
 * What the uploader's letter and the 451 page link with: `?case=DMCA-2026-000123&url=...&url=...`. Only shown back,
 * escaped, in the form; the post is checked like any other.
 */
export function prefillFromQuery(query: unknown): CounterNoticeFormFields {
  const q = (query && typeof query === 'object' ? query : {}) as Record<string, unknown>;
  const strings = (v: unknown): string[] =>
    (Array.isArray(v) ? v : [v]).filter((s): s is string => typeof s === 'string').map((s) => s.trim());
  const reference = strings(q.case)[0];
  const urls = strings(q.url).filter(Boolean).slice(0, COUNTER_NOTICE_MAX_URLS);
  return {
    ...(reference ? { caseReference: reference } : {}),
    ...(urls.length > 0 ? { removedUrls: urls.join('\n') } : {}),
  };
}

/** The JSON API's counter-notice, built from the form. */
export function counterNoticeFromForm(f: CounterNoticeFormFields): CreateCounterNoticeDto {
  return plainToInstance(CreateCounterNoticeDto, {
    caseReference: f.caseReference || undefined,
    counterNotifier: {
      name: f.name || undefined,
      email: f.email || undefined,
      phone: f.phone || undefined,
      address: f.address || undefined,
      country: f.country || undefined,
    },
    removedUrls: lines(f.removedUrls),
    mistakeStatement: f.mistakeStatement === 'yes',
    consentToJurisdiction: f.consentToJurisdiction === 'yes',
    signature: f.signature || undefined,
    text: f.explanation || undefined,
  });
}

/**
 * Checks the form twice: the JSON API's own rules (CreateCounterNoticeDto, so that the limits are one set), and then
 * that every 512(g)(3) element is there. The API and email keep an incomplete counter-notice and write back for what
 * it lacks; the form, like the notice form, asks for each element inline before anything is kept, which saves the
 * uploader a round of letters and the restore clock from starting late. At most one message per field.
 */
export async function checkCounterNoticeForm(
  f: CounterNoticeFormFields,
  dto: CreateCounterNoticeDto,
): Promise<CounterNoticeFormErrors> {
  const errors: CounterNoticeFormErrors = {};
  for (const [field, message] of dtoProblems(await validate(dto))) errors[field] ??= message;
  const need = (field: keyof CounterNoticeFormFields, ok: boolean, message: string) => {
    if (!ok) errors[field] ??= message;
  };
  need('name', !!f.name, 'Enter your full name.');
  need('email', !!f.email, 'Enter your email address: we send the receipt and any questions there.');
  need('email', !f.email || isValidEmail(f.email), 'Enter a valid email address, such as me@example.org.');
  need('phone', !!f.phone, 'Enter a telephone number: the law asks for one.');
  need('address', !!f.address, 'Enter your street address.');
  need('country', !!f.country, 'Enter the country of your address.');
  need(
    'removedUrls',
    lines(f.removedUrls).length > 0,
    'List at least one address (URL) at which the material was before we removed it, one per line.',
  );
  need(
    'mistakeStatement',
    f.mistakeStatement === 'yes',
    'A counter-notice needs this statement, made under penalty of perjury.',
  );
  need('consentToJurisdiction', f.consentToJurisdiction === 'yes', 'A counter-notice needs this consent.');
  need('signature', (f.signature?.length ?? 0) >= 2, 'Sign by typing your full legal name.');
  return errors;
}

/** The DTO's problems, each on the form field it came from, in the form's words where we have them. */
function dtoProblems(errors: ValidationError[], prefix = ''): [keyof CounterNoticeFormFields, string][] {
  return errors.flatMap((e) => {
    const path = prefix + e.property;
    const field = FIELD_OF[path];
    const own: [keyof CounterNoticeFormFields, string][] = field
      ? Object.entries(e.constraints ?? {}).map(([kind, message]) => [field, formMessage(field, kind, message)])
      : [];
    return [...own, ...dtoProblems(e.children ?? [], `${path}.`)];
  });
}

const FIELD_OF: Record<string, keyof CounterNoticeFormFields> = {
  caseReference: 'caseReference',
  'counterNotifier.name': 'name',
  'counterNotifier.email': 'email',
  'counterNotifier.phone': 'phone',
  'counterNotifier.address': 'address',
  'counterNotifier.country': 'country',
  removedUrls: 'removedUrls',
  mistakeStatement: 'mistakeStatement',
  consentToJurisdiction: 'consentToJurisdiction',
  signature: 'signature',
  text: 'explanation',
};

function formMessage(field: keyof CounterNoticeFormFields, kind: string, message: string): string {
  if (kind === 'isEmail') return 'Enter a valid email address, such as me@example.org.';
  if (kind === 'matches' && field === 'caseReference') {
    return 'Enter the case reference as our letter gives it, such as DMCA-2026-000123, or leave it empty.';
  }
  if (kind === 'arrayMaxSize') {
    return `List at most ${COUNTER_NOTICE_MAX_URLS} addresses; send several counter-notices for more.`;
  }
  // "signature must be shorter than or equal to 300 characters", "each value in removedUrls must be ...".
  const rule = /must .*$/.exec(message)?.[0];
  if (!rule) return message;
  return kind === 'maxLength' && message.startsWith('each value in ') ? `Each address ${rule}.` : `This field ${rule}.`;
}

/** What the page after posting shows: where the counter-notice stands, and what is missing or wrong. */
export function counterNoticeResultView(answer: Omit<CounterNoticeAnswer, 'caseId'>): object {
  return {
    reference: answer.reference,
    status: answer.status,
    statusLabel: STATUS_LABELS[answer.status],
    missing: answer.missing.map((name) => ELEMENT_LABELS[name]),
    problems: answer.problems,
    // One that staff review first has its dates too, but staff may not forward it: the page promises them once it is.
    restore:
      answer.status === CounterNoticeStatus.Forwarded && answer.restoreDueAt
        ? { notBefore: answer.restoreNotBefore, notAfter: answer.restoreNotAfter, due: answer.restoreDueAt }
        : undefined,
    statusUrl: answer.statusUrl,
  };
}

const STATUS_LABELS: Record<CounterNoticeStatus, string> = {
  [CounterNoticeStatus.Forwarded]: 'Forwarded to the complainant',
  [CounterNoticeStatus.InReview]: 'Complete; our staff review it before it is forwarded',
  [CounterNoticeStatus.NeedsInfo]: 'Something is missing',
  [CounterNoticeStatus.Invalid]: 'Names nothing removed under this case',
  [CounterNoticeStatus.Restored]: 'Restored',
  [CounterNoticeStatus.SuitFiled]: 'Court action filed: restoration stopped',
  [CounterNoticeStatus.Withdrawn]: 'Withdrawn',
};

function lines(s: string | undefined): string[] {
  return (s ?? '')
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter(Boolean);
}
