import { redactPersonalData } from '../privacy/redact';

/** What a redacted field's value becomes. */
export const REDACTED = '[redacted]';

/**
 * Field names whose values are personal data, or the text that carries it (a notice's or a letter's body), in the
 * spellings the code uses: entity properties, their columns, nodemailer's and smtp-server's envelopes, HTTP bodies;
 * and what database errors carry: a Postgres error's `detail` quotes the row ("Key (email)=(…) already exists"), a
 * TypeORM error's `parameters` are the query's values.
 */
const PERSONAL_FIELDS = [
  'address',
  'bcc',
  'body',
  'cc',
  'company',
  'complainant',
  'detail',
  'email',
  'emails',
  'envelope',
  'envelopeFrom',
  'envelope_from',
  'fax',
  'firstName',
  'from',
  'fullName',
  'html',
  'lastName',
  'mailFrom',
  'name',
  'ownerName',
  'owner_name',
  'parameters',
  'phone',
  'raw',
  'rawText',
  'raw_text',
  'rcptTo',
  'recipient',
  'recipients',
  'replyTo',
  'sender',
  'senderEmail',
  'senderName',
  'sender_email',
  'signature',
  'structured',
  'subject',
  'text',
  'to',
  'uploader',
  'uploaderEmail',
  'uploader_email',
  'user',
  'username',
];

/** Field names whose values open a door: credentials, session and status tokens, signed requests. */
const SECRET_FIELDS = [
  'apiKey',
  'api_key',
  'authorization',
  'cookie',
  'pass',
  'password',
  'secret',
  'set-cookie',
  'statusToken',
  'statusUrl',
  'status_token',
  'token',
  'x-takedown-signature',
];

/** How deep structured fields go: the redact paths below reach every field at these levels, and nothing deeper is written. */
export const MAX_FIELD_DEPTH = 3;

const segment = (name: string): string => (/^[A-Za-z_$][\w$]*$/.test(name) ? `.${name}` : `["${name}"]`);

/**
 * pino's redact paths: each field above at the top of a log line and at every level below it that a line may carry
 * (MAX_FIELD_DEPTH), inside objects and arrays alike ("headers.authorization", "err.envelope", "letters[0].to").
 */
export const REDACT_PATHS: string[] = [...PERSONAL_FIELDS, ...SECRET_FIELDS].flatMap((name) =>
  Array.from({ length: MAX_FIELD_DEPTH }, (_, depth) =>
    `${'*.'.repeat(depth)}${segment(name)}`.replace(/^\.|\.(?=[.[])/g, ''),
  ),
);

/**
 * A copy of a log line's fields fit to write: every string with its e-mail addresses and phone numbers hidden
 * (redactPersonalData), errors as plain objects (type, message, stack and their own fields, such as nodemailer's
 * `response`), and anything nested deeper than MAX_FIELD_DEPTH, or circular, replaced by a marker.
 */
export function scrubFields(fields: object): Record<string, unknown> {
  return scrubObject(fields, 0, new WeakSet()) as Record<string, unknown>;
}

/** Any value a log line is given (a message part, an interpolated argument), scrubbed as scrubFields does. */
export function scrubValue(value: unknown): unknown {
  return scrub(value, 0, new WeakSet());
}

function scrub(value: unknown, depth: number, ancestors: WeakSet<object>): unknown {
  switch (typeof value) {
    case 'string':
      return redactPersonalData(value);
    case 'bigint':
      return value.toString();
    case 'function':
    case 'symbol':
      return undefined;
    case 'object':
      if (value === null) return null;
      if (value instanceof Date) return Number.isNaN(value.getTime()) ? null : value.toISOString();
      if (Buffer.isBuffer(value)) return `[${value.length} bytes]`;
      if (depth >= MAX_FIELD_DEPTH) return '[nested]';
      if (ancestors.has(value)) return '[circular]';
      return scrubObject(value, depth, ancestors);
    case 'boolean':
    case 'number':
    case 'undefined':
      return value;
  }
}

function scrubObject(value: object, depth: number, ancestors: WeakSet<object>): unknown {
  ancestors.add(value);
  try {
    if (Array.isArray(value)) return value.map((item: unknown) => scrub(item, depth + 1, ancestors));
    const source = value instanceof Error ? errorFields(value) : value;
    const out: Record<string, unknown> = {};
    for (const [name, item] of Object.entries(source)) {
      const scrubbed = scrub(item, depth + 1, ancestors);
      if (scrubbed !== undefined) out[name] = scrubbed;
    }
    return out;
  } finally {
    ancestors.delete(value);
  }
}

/** An error's own fields (code, responseCode, response, cause, …) with its type, message and stack. */
function errorFields(error: Error): Record<string, unknown> {
  const fields: Record<string, unknown> = { type: error.name, message: error.message, stack: error.stack };
  for (const [name, item] of Object.entries(error)) if (!(name in fields) && name !== 'name') fields[name] = item;
  if (error.cause !== undefined) fields.cause = error.cause;
  return fields;
}
