import { plainToInstance } from 'class-transformer';
import { validate, type ValidationError } from 'class-validator';
import { CounterNoticeStatus } from '../cases/counter-notice.entity';
import { readProblem } from '../cases/counter-notice-problems';
import { isValidEmail } from '../checklist';
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

/** A catalog message in the form's language (TemplateRenderer.translate). */
export type CounterNoticeFormSay = (key: string, values?: Record<string, unknown>) => string;

/**
 * Checks the form twice: the JSON API's own rules (CreateCounterNoticeDto, so that the limits are one set), and then
 * that every 512(g)(3) element is there. The API and email keep an incomplete counter-notice and write back for what
 * it lacks; the form, like the notice form, asks for each element inline before anything is kept, which saves the
 * uploader a round of letters and the restore clock from starting late. At most one message per field, in the
 * form's language (`say`).
 */
export async function checkCounterNoticeForm(
  f: CounterNoticeFormFields,
  dto: CreateCounterNoticeDto,
  say: CounterNoticeFormSay,
): Promise<CounterNoticeFormErrors> {
  const errors: CounterNoticeFormErrors = {};
  for (const [field, message] of dtoProblems(await validate(dto), say)) errors[field] ??= message;
  const need = (field: keyof CounterNoticeFormFields, ok: boolean, key: string) => {
    if (!ok) errors[field] ??= say(`counterForm.errors.${key}`);
  };
  need('name', !!f.name, 'name');
  need('email', !!f.email, 'emailMissing');
  need('email', !f.email || isValidEmail(f.email), 'emailInvalid');
  need('phone', !!f.phone, 'phone');
  need('address', !!f.address, 'address');
  need('country', !!f.country, 'country');
  need('removedUrls', lines(f.removedUrls).length > 0, 'urlsMissing');
  need('mistakeStatement', f.mistakeStatement === 'yes', 'mistakeStatement');
  need('consentToJurisdiction', f.consentToJurisdiction === 'yes', 'consentToJurisdiction');
  need('signature', (f.signature?.length ?? 0) >= 2, 'signature');
  return errors;
}

/** The DTO's problems, each on the form field it came from, in the form's words where we have them. */
function dtoProblems(
  errors: ValidationError[],
  say: CounterNoticeFormSay,
  prefix = '',
): [keyof CounterNoticeFormFields, string][] {
  return errors.flatMap((e) => {
    const path = prefix + e.property;
    const field = FIELD_OF[path];
    const own: [keyof CounterNoticeFormFields, string][] = field
      ? Object.entries(e.constraints ?? {}).map(([kind, message]) => [field, formMessage(field, kind, message, say)])
      : [];
    return [...own, ...dtoProblems(e.children ?? [], say, `${path}.`)];
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

function formMessage(
  field: keyof CounterNoticeFormFields,
  kind: string,
  message: string,
  say: CounterNoticeFormSay,
): string {
  if (kind === 'isEmail') return say('counterForm.errors.emailInvalid');
  if (kind === 'matches' && field === 'caseReference') return say('counterForm.errors.caseReference');
  if (kind === 'arrayMaxSize') return say('counterForm.errors.urlsTooMany', { max: COUNTER_NOTICE_MAX_URLS });
  // "signature must be shorter than or equal to 300 characters", "each value in removedUrls must be ...".
  const max = /than or equal to (\d+) characters$/.exec(message)?.[1];
  if (kind === 'maxLength' && max) {
    return say(message.startsWith('each value in ') ? 'counterForm.errors.eachTooLong' : 'counterForm.errors.tooLong', {
      max: Number(max),
    });
  }
  // A rule the form's own fields cannot break (a type the form always sends right): the validator's words.
  const rule = /must .*$/.exec(message)?.[0];
  return rule ? say('counterForm.errors.invalid', { rule }) : message;
}

/**
 * What the counter-notice's page shows: where it stands, and what is missing or wrong. The template words the status,
 * the elements and the problems in the reader's language.
 */
export function counterNoticeResultView(answer: Omit<CounterNoticeAnswer, 'caseId'>): object {
  return {
    reference: answer.reference,
    status: answer.status,
    missing: answer.missing.map((name) => ({ name })),
    problems: answer.problems.map(readProblem),
    // One that staff review first has its dates too, but staff may not forward it: the page promises them once it is.
    restore:
      answer.status === CounterNoticeStatus.Forwarded && answer.restoreDueAt
        ? { notBefore: answer.restoreNotBefore, notAfter: answer.restoreNotAfter, due: answer.restoreDueAt }
        : undefined,
    statusUrl: answer.statusUrl,
  };
}

function lines(s: string | undefined): string[] {
  return (s ?? '')
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter(Boolean);
}
