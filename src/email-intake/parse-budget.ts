import { type Attachment, type AttachmentStream, MailParser, type MessageText, type ParsedMail } from 'mailparser';
import { Readable } from 'node:stream';
import { collectingEvery, LARGE_WORK_BYTES } from '../core/memory';
import { type MimeLimits, type MimePartCount, mimeProblem } from './raw-message';

/**
 * Parsing limits. The size is already bounded where the message came in (INBOUND_MAX_BYTES); these bound the work a
 * message of that size can cause. Tripping one quarantines the message: it stays raw for staff, with the reason.
 */
export const PARSE_LIMITS: ParseLimits = {
  /** MIME parts in the whole tree, forwarded messages included (one budget for the message and all it forwards). */
  maxParts: 100,
  /** Nesting of multiparts and unencoded forwarded messages, within each message mailparser is given. */
  maxDepth: 8,
  /** Wall-clock time for mailparser: one deadline for the whole message, its forwarded messages included. */
  timeoutMs: 20_000,
  /** Forwarded messages (.eml, message/rfc822) read into the notice, and how deep inside each other. */
  maxForwardDepth: 3,
  /** Decoded size of all forwarded messages together; the same as INBOUND_MAX_BYTES's default. */
  maxForwardedBytes: 25 * 1024 * 1024,
};

export interface ParseLimits extends MimeLimits {
  timeoutMs: number;
  maxForwardDepth: number;
  maxForwardedBytes: number;
}

/** A message that cannot or may not be parsed: it is kept raw for staff, with this reason. */
export class QuarantineError extends Error {}

/**
 * What one message may still spend on parsing, shared by the message and every forwarded message decoded from it:
 * one count of MIME parts, one total of forwarded bytes, one deadline. mailparser cannot be interrupted, so the
 * deadline bounds how long the job waits; a parse that misses it is abandoned and no further parse is started.
 */
export class ParseBudget {
  private readonly counted: MimePartCount = { parts: 0 };
  private forwardedBytes = 0;
  readonly deadline: number;

  constructor(
    private readonly limits: ParseLimits = PARSE_LIMITS,
    private readonly now: () => number = Date.now,
  ) {
    this.deadline = now() + limits.timeoutMs;
  }

  get parts(): number {
    return this.counted.parts;
  }

  /** Why the message as received may not be parsed, counting its parts against the budget. */
  check(raw: Buffer): string | undefined {
    return mimeProblem(raw, this.limits, this.counted);
  }

  /** Why a forwarded message (decoded from an attachment) may not be parsed: its size, then its MIME tree. */
  checkForwarded(raw: Buffer): string | undefined {
    this.forwardedBytes += raw.length;
    if (this.forwardedBytes > this.limits.maxForwardedBytes)
      return `forwarded messages larger than ${this.limits.maxForwardedBytes} bytes in total`;
    const problem = this.check(raw);
    return problem ? `in a forwarded message: ${problem}` : undefined;
  }

  remainingMs(): number {
    return Math.max(0, this.deadline - this.now());
  }

  /** The reason a message that ran out of time is quarantined with. */
  get timeoutReason(): string {
    return `parsing took longer than ${this.limits.timeoutMs / 1000} s`;
  }

  /**
   * mailparser's result, within what is left of the deadline. Rejects with a QuarantineError when time runs out
   * (without starting when none is left); mailparser's own errors are passed on as they are.
   */
  parse(raw: Buffer, use: (attachment: AttachmentStream) => AttachmentUse): Promise<Mail> {
    const left = this.remainingMs();
    if (left <= 0) return Promise.reject(new QuarantineError(this.timeoutReason));
    return withTimeout(parseMail(raw, use), left, this.timeoutReason);
  }
}

/** mailparser is fed this many bytes at a time: given the message whole, its decoders held copies of all of it. */
const PARSE_SLICE_BYTES = 64 * 1024;

function* slices(raw: Buffer): Generator<Buffer> {
  for (let at = 0; at < raw.length; at += PARSE_SLICE_BYTES) yield raw.subarray(at, at + PARSE_SLICE_BYTES);
}

/**
 * What is kept of an attachment as it is decoded: `read`, its bytes (text, and forwarded messages, that the notice
 * reads); `digest`, only its size and SHA-256 (a PDF, an image: its bytes stay in the raw message it came in).
 */
export type AttachmentUse = 'read' | 'digest';

/** An attachment as parseMail gives it: `content` holds its bytes only when it was read; `checksum` is SHA-256. */
export interface MailAttachment extends Omit<Attachment, 'content'> {
  content: Buffer;
  /** Whether `content` holds the attachment (use 'read'), or is empty (use 'digest'). */
  read: boolean;
  /** Released already, as simpleParser's are. */
  release: null;
}

/** The parsed message: simpleParser's result, but with each attachment read or only digested, as asked. */
export interface Mail extends Omit<ParsedMail, 'attachments'> {
  attachments: MailAttachment[];
}

const EMPTY = Buffer.alloc(0);
const ADDRESSED = ['subject', 'references', 'date', 'to', 'from', 'cc', 'bcc', 'message-id', 'in-reply-to', 'reply-to'];

/**
 * mailparser's streaming parser, as simpleParser drives it, except that an attachment `use` says to digest is never
 * held in memory: a 7 MB PDF costs its hash, not three copies of itself. Image links are left as they are (the HTML
 * is never shown, and inlining them would read every image).
 */
export function parseMail(raw: Buffer, use: (attachment: AttachmentStream) => AttachmentUse): Promise<Mail> {
  return new Promise<Mail>((resolve, reject) => {
    const parser = new MailParser({
      skipImageLinks: true,
      skipTextToHtml: true,
      skipTextLinks: true,
      checksumAlgo: 'sha256',
    });
    const mail = { attachments: [] as MailAttachment[] } as Mail & Record<string, unknown>;
    let settled = false;
    // mailparser may emit an 'error' and still reach 'end': the first of them settles.
    const fail = (error: Error): void => {
      if (!settled) reject(error);
      settled = true;
    };
    parser.on('error', fail);
    parser.on('headers', (headers) => {
      mail.headers = headers;
      if (parser.headerLines) mail.headerLines = parser.headerLines;
    });
    let reading = false;
    // What decoding a large attachment leaves (its lines, their decoded bytes) goes every few megabytes.
    const decoded = collectingEvery(2 * LARGE_WORK_BYTES);
    // As simpleParser: one object at a time, and the next only once an attachment has been read and released.
    const next = (): void => {
      reading = true;
      const data: AttachmentStream | MessageText | null = parser.read();
      if (data === null) {
        reading = false;
        return;
      }
      if (data.type === 'text') {
        // text, html, textAsHtml, textConversionError: as simpleParser copies them.
        Object.assign(mail, data);
        delete mail.type;
        return next();
      }
      const read = use(data) === 'read';
      const chunks: Buffer[] = [];
      data.content.on('data', (chunk: Buffer) => {
        if (read) chunks.push(chunk);
        decoded(chunk.length);
      });
      data.content.on('end', () => {
        const { release } = data;
        mail.attachments.push({
          ...data,
          release: null,
          checksum: data.checksum ?? '',
          size: data.size ?? 0,
          content: read ? Buffer.concat(chunks) : EMPTY,
          read,
        });
        release?.();
        next();
      });
    };
    parser.on('readable', () => {
      if (!reading) next();
    });
    parser.on('end', () => {
      for (const key of ADDRESSED) {
        if (mail.headers?.has(key))
          mail[key.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase())] = mail.headers.get(key);
      }
      if (!settled) resolve(mail);
      settled = true;
    });
    const input = Readable.from(slices(raw), { objectMode: false });
    input.once('error', (error) => {
      parser.destroy();
      fail(error);
    });
    input.pipe(parser);
  });
}

/**
 * mailparser cannot be interrupted; the timer bounds how long the job waits for it. The abandoned work's eventual
 * rejection is swallowed, so that it does not surface as an unhandled rejection.
 */
async function withTimeout<T>(work: Promise<T>, ms: number, reason: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  work.catch(() => undefined);
  try {
    return await Promise.race([
      work,
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new QuarantineError(reason)), ms);
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}
