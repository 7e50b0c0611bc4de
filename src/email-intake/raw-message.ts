import { createHash } from 'node:crypto';

/**
 * Plain functions over a raw RFC 5322 message, cheap enough to run before anything is acknowledged: no MIME
 * decoding, no charset work. The full parse happens later in the worker (mailparser).
 */

export interface RawHeader {
  /** Lower-case name. */
  name: string;
  /** Unfolded value, trimmed. */
  value: string;
  /** The header's lines exactly as received. */
  raw: string;
}

/** Headers each relay adds or rewrites on its way to us: the same message delivered twice differs only in these. */
const PER_HOP_HEADERS = new Set([
  'received',
  'x-received',
  'return-path',
  'delivered-to',
  'x-original-to',
  'envelope-to',
  'x-envelope-from',
  'x-envelope-to',
  'received-spf',
  'authentication-results',
  'arc-seal',
  'arc-message-signature',
  'arc-authentication-results',
  'x-ms-exchange-organization-authas',
  'x-spam-status',
  'x-spam-score',
  'x-spam-flag',
  'x-virus-scanned',
]);

const CR = 0x0d;
const LF = 0x0a;
const CRLF = Buffer.from('\r\n');

/**
 * Where the header block ends and the body begins: at the first empty line (CRLF or LF), or nowhere (undefined)
 * when the message has none. A message that opens with an empty line has no headers at all.
 */
function headerEnd(raw: Buffer): { head: number; body: number } | undefined {
  if (raw[0] === LF) return { head: 0, body: 1 };
  if (raw[0] === CR && raw[1] === LF) return { head: 0, body: 2 };
  const crlf = raw.indexOf('\r\n\r\n');
  // An LF-only empty line counts only before the first CRLF one: no need to search the body for it.
  const lf = (crlf >= 0 ? raw.subarray(0, crlf + 2) : raw).indexOf('\n\n');
  if (lf >= 0) return { head: lf, body: lf + 2 };
  if (crlf >= 0) return { head: crlf, body: crlf + 4 };
  return undefined;
}

/** Splits at the first empty line. A message without one is all header (RFC 5322 allows an empty body). */
export function splitMessage(raw: Buffer): { head: string; body: Buffer } {
  const end = headerEnd(raw);
  if (!end) return { head: raw.toString('latin1'), body: Buffer.alloc(0) };
  return { head: raw.subarray(0, end.head).toString('latin1'), body: raw.subarray(end.body) };
}

/** Size in bytes of the header block (what splitMessage gives as `head`), without decoding anything. */
export function headerBlockBytes(raw: Buffer): number {
  return headerEnd(raw)?.head ?? raw.length;
}

/** Header fields in order, with continuation lines folded into the field they continue. */
export function parseHeaders(head: string): RawHeader[] {
  const out: RawHeader[] = [];
  // The last field's lines and value pieces once it has continuation lines, joined into it when the next field starts:
  // appending to its value line by line re-copied the whole value each time, quadratic in a long folded header.
  let folded: { lines: string[]; parts: string[] } | undefined;
  const unfold = (): void => {
    if (!folded) return;
    const last = out[out.length - 1];
    last.raw = folded.lines.join('\n');
    last.value = folded.parts.join(' ');
    folded = undefined;
  };
  for (const line of head.split(/\r?\n/)) {
    if (out.length > 0 && (line.startsWith(' ') || line.startsWith('\t'))) {
      if (!folded) {
        const last = out[out.length - 1];
        folded = { lines: [last.raw], parts: last.value === '' ? [] : [last.value] };
      }
      folded.lines.push(line);
      const part = line.trim();
      if (part !== '') folded.parts.push(part);
      continue;
    }
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    unfold();
    out.push({ name: line.slice(0, colon).trim().toLowerCase(), value: line.slice(colon + 1).trim(), raw: line });
  }
  unfold();
  return out;
}

export function headerValue(headers: RawHeader[], name: string): string | undefined {
  return headers.find((h) => h.name === name)?.value;
}

/** The Message-ID's `<id>` token, or undefined when the header is missing or holds no angle-bracketed id. */
export function messageIdOf(headers: RawHeader[]): string | undefined {
  return firstMessageId(headerValue(headers, 'message-id'));
}

export function firstMessageId(value: string | undefined): string | undefined {
  return messageIds(value)[0];
}

/** Every `<id>` token in an In-Reply-To or References value. */
export function messageIds(value: string | undefined): string[] {
  return [...(value ?? '').matchAll(/<([^<>\s\0]{1,900})>/g)].map((m) => `<${m[1]}>`);
}

/**
 * SHA-256 over the message minus the per-hop trail (Received, Return-Path, Delivered-To, ...), with line endings
 * normalised and trailing blank lines dropped: one message delivered twice, by two routes, hashes the same.
 */
export function contentHash(raw: Buffer): string {
  const { head, body } = splitMessage(raw);
  const kept = parseHeaders(head)
    .filter((h) => !PER_HOP_HEADERS.has(h.name))
    .map((h) => h.raw.replace(/\r/g, ''));
  const hash = createHash('sha256').update(kept.join('\n')).update('\n\n');
  // The body as bytes, CRLF read as LF: as a string, a 10 MB body was two 10 MB copies on the heap.
  // Trailing newlines (LF or CRLF) are dropped by a walk back from the end.
  let end = body.length;
  while (end > 0 && body[end - 1] === LF) end -= end > 1 && body[end - 2] === CR ? 2 : 1;
  let at = 0;
  for (let cr = body.indexOf(CRLF, at); cr >= 0 && cr < end; cr = body.indexOf(CRLF, at)) {
    hash.update(body.subarray(at, cr));
    at = cr + 1;
  }
  return hash.update(body.subarray(at, end)).digest('hex');
}

const DASH = 0x2d;

/** Whether a latin1 byte is one String.prototype.trimEnd removes (a line's CR among them). */
function trimmable(byte: number): boolean {
  return byte === 0x20 || byte === 0x09 || byte === 0x0d || byte === 0x0b || byte === 0x0c || byte === 0xa0;
}

function blank(bytes: Buffer, from: number, to: number): boolean {
  for (let i = from; i < to; i++) if (!trimmable(bytes[i])) return false;
  return true;
}

/**
 * The parts of a multipart body, as views of it (no copies: a 10 MB body read as text and split into lines cost
 * four times its size): each part runs from the line after a delimiter line to the line break before the next one;
 * a delimiter line is the delimiter, or the delimiter and "--" (the last), with nothing after it but white space.
 * What precedes the first is preamble, what follows the last epilogue; a body that is never closed ends its last
 * part. Undefined when there is no part: no delimiter line, or the closing one first.
 */
function multipartChildren(body: Buffer, delimiter: Buffer): Buffer[] | undefined {
  const children: Buffer[] = [];
  let current: number | undefined;
  // A delimiter that ends in white space (boundary="b ") never matches a line trimmed of it: only its closing form can.
  const opening = !trimmable(delimiter[delimiter.length - 1]);
  for (let at = body.indexOf(delimiter); at >= 0;) {
    // Only at the start of a line; each line is read once, so a line full of delimiters costs its length.
    if (at > 0 && body[at - 1] !== LF) {
      at = body.indexOf(delimiter, at + 1);
      continue;
    }
    let end = body.indexOf(LF, at);
    if (end < 0) end = body.length;
    const rest = at + delimiter.length;
    const closes = body[rest] === DASH && body[rest + 1] === DASH && blank(body, rest + 2, end);
    if (!closes && !(opening && blank(body, rest, end))) {
      at = body.indexOf(delimiter, end);
      continue;
    }
    if (current !== undefined) {
      // The part ends before the line break that precedes the delimiter line (CRLF or LF).
      const stop = at - 1 - (at >= 2 && body[at - 2] === CR ? 1 : 0);
      children.push(body.subarray(current, Math.max(current, stop)));
    }
    if (closes) return children.length > 0 ? children : undefined;
    current = Math.min(end + 1, body.length);
    at = body.indexOf(delimiter, end);
  }
  if (current === undefined) return undefined;
  children.push(body.subarray(current));
  return children;
}

/**
 * Where an entity's header block ends (as splitMessage finds it) when its line breaks are read with `passes` CRs
 * fewer before each LF. The MIME walk first rebuilt each part from its lines joined by LF, one CR fewer a level, and
 * found its header block in that text; reading the bytes as they are, a part whose header ends in LF then CRLF (or
 * one of CR CR LF) would have ended elsewhere, and its parts gone uncounted.
 */
function partHeaderEnd(entity: Buffer, passes: number): { head: number; body: number } | undefined {
  // Each line break: where its CRs start, where its LF is, and how many CRs it keeps once `passes` are gone.
  let previous: { start: number; lf: number; crs: number } | undefined;
  for (let lf = entity.indexOf(LF); lf >= 0; lf = entity.indexOf(LF, lf + 1)) {
    const floor = previous ? previous.lf + 1 : 0;
    let start = lf;
    while (start > floor && entity[start - 1] === CR) start -= 1;
    const crs = Math.max(0, lf - start - passes);
    // An entity that opens with an empty line (LF or CRLF) has no headers.
    if (start === 0 && crs <= 1) return { head: 0, body: lf + 1 };
    // An empty line: LF LF, or CRLF CRLF.
    if (previous && previous.lf + 1 === start && (crs === 0 || (crs === 1 && previous.crs >= 1))) {
      return { head: previous.start, body: lf + 1 };
    }
    previous = { start, lf, crs };
  }
  return undefined;
}

export interface MimeLimits {
  maxParts: number;
  maxDepth: number;
}

/** Parts counted so far across one whole message: the outer message and every forwarded message read from it. */
export interface MimePartCount {
  parts: number;
}

/**
 * Walks the MIME tree by its boundaries, without decoding anything, and says why the message is unfit to parse:
 * more parts or deeper nesting than the limits, or a multipart without a boundary. Undefined when it is fine.
 * mailparser itself has no such limits, and a crafted message of a few megabytes can hold a hundred thousand parts.
 *
 * `counted` carries the part count from one call to the next, so that a message and the forwarded messages decoded
 * from it (each walked before it is parsed) share one budget.
 */
export function mimeProblem(
  raw: Buffer,
  limits: MimeLimits,
  counted: MimePartCount = { parts: 0 },
): string | undefined {
  // `passes`: how many multipart levels deep the entity is (see partHeaderEnd).
  const walk = (entity: Buffer, depth: number, passes: number): string | undefined => {
    counted.parts += 1;
    if (counted.parts > limits.maxParts) return `more than ${limits.maxParts} MIME parts`;
    if (depth > limits.maxDepth) return `MIME parts nested deeper than ${limits.maxDepth} levels`;
    const end = partHeaderEnd(entity, passes);
    const head = (end ? entity.subarray(0, end.head) : entity).toString('latin1');
    const body = end ? entity.subarray(end.body) : Buffer.alloc(0);
    const contentType = headerValue(parseHeaders(head), 'content-type') ?? 'text/plain';
    const type = contentType.split(';')[0].trim().toLowerCase();
    if (type === 'message/rfc822') return walk(body, depth + 1, passes);
    if (!type.startsWith('multipart/')) return undefined;
    const boundary = /boundary\s*=\s*(?:"([^"]+)"|([^\s;]+))/i.exec(contentType);
    if (!boundary) return `malformed MIME: ${type} without a boundary`;
    const children = multipartChildren(body, Buffer.from(`--${boundary[1] ?? boundary[2]}`, 'latin1'));
    if (!children) return `malformed MIME: ${type} with no parts`;
    for (const child of children) {
      const problem = walk(child, depth + 1, passes + 1);
      if (problem) return problem;
    }
    return undefined;
  };
  return walk(raw, 0, 0);
}

/** A "Received:" line for the message as our listener took it, so later checks (mailauth) know the client. */
export function receivedHeader(opts: {
  helo: string;
  clientHostname: string;
  ip: string;
  by: string;
  id: string;
  recipient?: string;
  date: Date;
}): string {
  // The client names its HELO; mailauth reads the client address back from this header, so nothing it sends may
  // look like a comment or an address literal ("EHLO x([9.9.9.9])" would choose the IP that SPF checks).
  const from = `${safeHostToken(opts.helo)} (${safeHostToken(opts.clientHostname)} [${opts.ip}])`;
  const to = opts.recipient ? `\r\n\tfor <${opts.recipient}>` : '';
  return `Received: from ${from}\r\n\tby ${opts.by} with ESMTP id ${opts.id}${to};\r\n\t${opts.date.toUTCString()}\r\n`;
}

/** A host name or HELO argument reduced to characters that cannot open a comment or an address literal. */
export function safeHostToken(value: string): string {
  const cleaned = value.replace(/[^A-Za-z0-9.:_-]/g, '').slice(0, 255);
  return cleaned || 'unknown';
}
