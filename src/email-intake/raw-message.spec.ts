import { createHash } from 'node:crypto';
import { loopReason } from './mail-loop';
import { PARSE_LIMITS } from './parse-budget';
import {
  contentHash,
  headerBlockBytes,
  messageIdOf,
  messageIds,
  mimeProblem,
  parseHeaders,
  receivedHeader,
  splitMessage,
} from './raw-message';
import { replyText } from '../checklist/reply-text';

const MESSAGE = [
  'From: Jane Roe <jane@rights.example.org>',
  'To: dmca@example.com',
  'Subject: Notice',
  'Message-ID: <abc.123@rights.example.org>',
  '',
  'Please remove https://example.com/d/1.',
  '',
].join('\r\n');

const headersOf = (raw: string) => parseHeaders(splitMessage(Buffer.from(raw)).head);

describe('contentHash', () => {
  it('ignores the per-hop trail and line endings, so one message delivered twice hashes the same', () => {
    const relayed = [
      'Received: from mx1.example.net (mx1.example.net [192.0.2.1])',
      '\tby intake.example.com with ESMTP id X1; Tue, 1 Dec 2026 10:00:00 +0000',
      'Return-Path: <jane@rights.example.org>',
      'Delivered-To: dmca@example.com',
      MESSAGE.replace(/\r\n/g, '\n'),
    ].join('\n');
    expect(contentHash(Buffer.from(relayed))).toBe(contentHash(Buffer.from(MESSAGE)));
  });

  it('differs when the body or a header of the message itself differs', () => {
    const base = contentHash(Buffer.from(MESSAGE));
    expect(contentHash(Buffer.from(MESSAGE.replace('d/1', 'd/2')))).not.toBe(base);
    expect(contentHash(Buffer.from(MESSAGE.replace('Subject: Notice', 'Subject: Notice 2')))).not.toBe(base);
  });

  it('hashes as the string form of the rule did, so that messages stored before still dedupe', () => {
    // The rule as first written: the body as latin1 text, CRLF replaced by LF, trailing LFs dropped.
    const asText = (raw: Buffer): string => {
      const { head, body } = splitMessage(raw);
      const kept = parseHeaders(head)
        .filter((h) => !['received', 'return-path', 'delivered-to'].includes(h.name))
        .map((h) => h.raw.replace(/\r/g, ''));
      const text = body.toString('latin1').replace(/\r\n/g, '\n').replace(/\n+$/, '');
      return createHash('sha256').update(kept.join('\n')).update('\n\n').update(text, 'latin1').digest('hex');
    };
    const pieces = ['\r', '\n', '\r\n', 'a', '\u00e9', ' '];
    let seed = 7;
    const next = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31);
    const bodies = ['', '\r', '\n', '\r\n', '\r\r\n', 'x\r', 'x\r\n\n\r\n', '\n\r', 'a\r\nb\r\r\n\r'];
    for (let i = 0; i < 500; i++) bodies.push(Array.from({ length: next() % 12 }, () => pieces[next() % 6]).join(''));
    for (const body of bodies) {
      const raw = Buffer.from(`Received: by mx\r\nFrom: a@b.org\r\nSubject: s\r\n\r\n${body}`, 'latin1');
      expect([body, contentHash(raw)]).toEqual([body, asText(raw)]);
    }
  });
});

describe('mimeProblem over bytes', () => {
  // The walk as first written, over text: each multipart body read as latin1, split into lines and joined again.
  const asText = (raw: Buffer, limits: { maxParts: number; maxDepth: number }): string | undefined => {
    let parts = 0;
    const walk = (entity: Buffer, depth: number): string | undefined => {
      parts += 1;
      if (parts > limits.maxParts) return `more than ${limits.maxParts} MIME parts`;
      if (depth > limits.maxDepth) return `MIME parts nested deeper than ${limits.maxDepth} levels`;
      const { head, body } = splitMessage(entity);
      const contentType = parseHeaders(head).find((h) => h.name === 'content-type')?.value ?? 'text/plain';
      const type = contentType.split(';')[0].trim().toLowerCase();
      if (type === 'message/rfc822') return walk(body, depth + 1);
      if (!type.startsWith('multipart/')) return undefined;
      const boundary = /boundary\s*=\s*(?:"([^"]+)"|([^\s;]+))/i.exec(contentType);
      if (!boundary) return `malformed MIME: ${type} without a boundary`;
      const delimiter = `--${boundary[1] ?? boundary[2]}`;
      let current: string[] | undefined;
      let closed = false;
      const children: string[] = [];
      for (const line of body.toString('latin1').split(/\r?\n/)) {
        const trimmed = line.trimEnd();
        if (trimmed === delimiter || trimmed === `${delimiter}--`) {
          if (current) children.push(current.join('\n'));
          current = trimmed === delimiter ? [] : undefined;
          if (trimmed !== delimiter) {
            closed = true;
            break;
          }
          continue;
        }
        current?.push(line);
      }
      if (children.length === 0 && !current) return `malformed MIME: ${type} with no parts`;
      if (current && !closed) children.push(current.join('\n'));
      for (const child of children) {
        const problem = walk(Buffer.from(child, 'latin1'), depth + 1);
        if (problem) return problem;
      }
      return undefined;
    };
    return walk(raw, 0);
  };

  it('finds what the text walk found, on tangled multiparts', () => {
    let seed = 11;
    const next = (n: number) => (seed = (seed * 1103515245 + 12345) % 2 ** 31) % n;
    const eol = () => ['\r\n', '\n', '\r\n', ' \r\n', '\r\r\n', '\r\r\r\n', '\r'][next(7)];
    const entity = (depth: number): string => {
      const kind = next(depth > 3 ? 2 : 7);
      if (kind === 0) return `Content-Type: text/plain${eol()}${eol()}hello --b${depth}${eol()}x`;
      if (kind === 1) return `${eol()}no headers at all`;
      if (kind === 2) return `Content-Type: message/rfc822${eol()}${eol()}${entity(depth + 1)}`;
      if (kind === 3) return `Content-Type: multipart/mixed${eol()}${eol()}--b${depth}${eol()}`;
      // A quoted boundary may end in white space; mailparser trims it, the rule never matched an opening line.
      const b = `b${depth}${['', '', '', ' ', '\t'][next(5)]}`;
      const parts = Array.from(
        { length: next(5) },
        () => `--${[b, b.trim()][next(2)]}${[' ', '', '\t'][next(3)]}${eol()}${entity(depth + 1)}${eol()}`,
      );
      const close = [`--${b}--${eol()}epilogue --${b}${eol()}`, `--${b}-- \u00a0`, '', `--${b}--x${eol()}`][next(4)];
      // Header lines and the empty line after them in any mix of line endings (LF then CRLF, CR CR LF).
      return `Content-Type: multipart/mixed;${eol()} boundary="${b}"${eol()}${eol()}preamble${eol()}${parts.join('')}${close}`;
    };
    // A line full of delimiters that are not at its start, and one of them alone: what each line costs is its length.
    const long = `Content-Type: multipart/mixed; boundary=b\r\n\r\n--b\r\n${'x--b'.repeat(20_000)}\r\n--b--\r\n`;
    expect(mimeProblem(Buffer.from(long), PARSE_LIMITS)).toBe(asText(Buffer.from(long), PARSE_LIMITS));
    for (let i = 0; i < 3000; i++) {
      const raw = Buffer.from(`From: a@b.org${eol()}${entity(0)}`, 'latin1');
      for (const limits of [PARSE_LIMITS, { maxParts: 6, maxDepth: 3 }]) {
        expect([raw.toString('latin1'), mimeProblem(raw, limits)]).toEqual([
          raw.toString('latin1'),
          asText(raw, limits),
        ]);
      }
    }
  });
});

describe('message ids', () => {
  it('reads the Message-ID token, folded or not, and every id of References', () => {
    expect(messageIdOf(headersOf(MESSAGE))).toBe('<abc.123@rights.example.org>');
    expect(messageIdOf(headersOf('Message-ID:\r\n <folded@x.org>\r\n\r\nbody'))).toBe('<folded@x.org>');
    expect(messageIdOf(headersOf('Subject: none\r\n\r\nbody'))).toBeUndefined();
    expect(messageIds('<a@x> <b@y>\r\n <c@z>')).toEqual(['<a@x>', '<b@y>', '<c@z>']);
  });
});

describe('mimeProblem', () => {
  const limits = { maxParts: 5, maxDepth: 3 };
  const multipart = (boundary: string, parts: string[]) =>
    [
      `Content-Type: multipart/mixed; boundary="${boundary}"`,
      '',
      ...parts.map((p) => `--${boundary}\r\n${p}`),
      `--${boundary}--`,
      '',
    ].join('\r\n');
  const part = 'Content-Type: text/plain\r\n\r\nhello';

  it('accepts a plain message and a small multipart', () => {
    expect(mimeProblem(Buffer.from(MESSAGE), limits)).toBeUndefined();
    expect(mimeProblem(Buffer.from(multipart('b1', [part, part])), limits)).toBeUndefined();
  });

  it('names a multipart without a boundary, too many parts, and nesting too deep', () => {
    expect(mimeProblem(Buffer.from('Content-Type: multipart/mixed\r\n\r\nhello'), limits)).toMatch(
      /without a boundary/,
    );
    expect(mimeProblem(Buffer.from(multipart('b1', Array(6).fill(part))), limits)).toMatch(/more than 5 MIME parts/);
    const nested = multipart('b1', [multipart('b2', [multipart('b3', [multipart('b4', [part])])])]);
    expect(mimeProblem(Buffer.from(nested), limits)).toMatch(/deeper than 3/);
  });
});

describe('loopReason', () => {
  const h = (lines: string[]) => headersOf(`${lines.join('\r\n')}\r\n\r\nbody`);

  it.each([
    [['From: a@x.org'], '', false, /bounce: empty envelope sender/],
    [['From: MAILER-DAEMON@mx.x.org'], 'x@y.org', false, /MAILER-DAEMON/],
    [
      ['From: a@x.org', 'Content-Type: multipart/report; report-type=delivery-status; boundary=z'],
      null,
      false,
      /delivery status/,
    ],
    [['From: a@x.org', 'Auto-Submitted: auto-replied'], null, false, /auto-replied/],
    [['From: a@x.org', 'X-Autoreply: yes'], null, false, /X-Autoreply/],
    [['From: a@x.org', 'Auto-Submitted: auto-generated'], null, true, /auto-generated in reply/],
    [['From: a@x.org', 'Precedence: bulk'], null, true, /bulk in reply/],
  ])('ignores %j (envelope %j, reply %j)', (lines, envelope, reply, reason) => {
    expect(loopReason(h(lines), envelope, reply)).toMatch(reason);
  });

  it('takes notices that agencies send as bulk or auto-generated mail, and ordinary mail', () => {
    expect(loopReason(h(['From: a@x.org', 'Auto-Submitted: auto-generated']), 'a@x.org', false)).toBeUndefined();
    expect(loopReason(h(['From: a@x.org', 'Precedence: bulk']), null, false)).toBeUndefined();
    expect(loopReason(h(['From: a@x.org', 'Auto-Submitted: no']), 'a@x.org', true)).toBeUndefined();
  });
});

describe('what a client may put into our Received header', () => {
  it('cannot choose the address SPF checks through its HELO', () => {
    const header = receivedHeader({
      helo: 'x([9.9.9.9])',
      clientHostname: 'evil (comment [8.8.8.8])',
      ip: '127.0.0.1',
      by: 'mx.example.com',
      id: 'abc',
      date: new Date('2026-11-29T12:00:00Z'),
    });
    expect(header).not.toContain('[9.9.9.9]');
    expect(header).not.toContain('[8.8.8.8]');
    expect(header).toMatch(/^Received: from x9.9.9.9 \(evilcomment8.8.8.8 \[127.0.0.1\]\)/);
    expect(header.match(/\[[^\]]*\]/g)).toEqual(['[127.0.0.1]']);
  });
});

describe('Message-IDs', () => {
  it.each([
    ['a NUL inside', '<a\0b@example.com>', []],
    ['over 900 characters', `<${'a'.repeat(1000)}@example.com>`, []],
    ['two ids', '<a@x.example> <b@y.example>', ['<a@x.example>', '<b@y.example>']],
  ])('%s', (_name, value, expected) => {
    expect(messageIds(value)).toEqual(expected);
  });
});

/**
 * Time per KB of `run` over an input of about 1 MB, divided by its time per KB over about 10 KB, measured in the same
 * run: about 1 for a linear path, about 100 for a quadratic one. The small input is run enough times to take as long
 * as the large one, and each side keeps its best of a few tries, so that one stall of a noisy machine does not count.
 * A tripwire against quadratic paths, not a bound on time.
 */
function growthPerKb<T>(make: (bytes: number) => T, size: (input: T) => number, run: (input: T) => unknown): number {
  const perKb = (input: T, reps: number): number => {
    let best = Infinity;
    // Up to three tries, fewer when a try is slow (a quadratic path's one try already says enough).
    for (let attempt = 0, spent = 0; attempt < 3 && spent < 2000; attempt++) {
      const start = process.hrtime.bigint();
      for (let i = 0; i < reps; i++) run(input);
      const ms = Number(process.hrtime.bigint() - start) / 1e6;
      spent += ms;
      best = Math.min(best, ms / ((reps * size(input)) / 1024));
    }
    return best;
  };
  const small = make(10 * 1024);
  const large = make(1024 * 1024);
  run(small); // warm up the code paths before either is timed
  return perKb(large, 1) / perKb(small, Math.max(1, Math.round(size(large) / size(small))));
}

/** A message whose one References header is folded over about `bytes` of continuation lines. */
function foldedHeader(bytes: number): { raw: Buffer; ids: string[] } {
  const ids: string[] = [];
  const lines = ['References: <first@x.test>'];
  ids.push('<first@x.test>');
  for (let length = lines[0].length, i = 0; length < bytes; i++) {
    const id = `<id-${i}@folded.example.test>`;
    ids.push(id);
    lines.push(`\t${id}`);
    length += id.length + 3;
  }
  const raw = Buffer.from(`From: a@x.test\r\n${lines.join('\r\n')}\r\nSubject: s\r\n\r\nbody\r\n`, 'latin1');
  return { raw, ids };
}

/** A message of `count` short header fields. */
function shortHeaderLines(count: number): Buffer {
  return Buffer.from(`${Array.from({ length: count }, (_, i) => `X-H${i}: v${i}`).join('\r\n')}\r\n\r\nbody`, 'latin1');
}

const headersOfRaw = (raw: Buffer) => parseHeaders(splitMessage(raw).head);
const bytesOf = (raw: Buffer) => raw.length;

describe('header unfolding over long input', () => {
  it('unfolds a 1 MB folded header into one value and keeps its lines', () => {
    const { raw, ids } = foldedHeader(1024 * 1024);
    const headers = headersOfRaw(raw);
    expect(headers.map((h) => h.name)).toEqual(['from', 'references', 'subject']);
    const references = headers[1];
    expect(references.value).toBe(ids.join(' '));
    expect(messageIds(references.value)).toEqual(ids);
    expect(references.raw).toBe(
      `References: ${ids[0]}\n${ids
        .slice(1)
        .map((id) => `\t${id}`)
        .join('\n')}`,
    );
    expect(headers[2]).toEqual({ name: 'subject', value: 's', raw: 'Subject: s' });
  });

  it('reads 100,000 short header lines as 100,000 fields', () => {
    const headers = headersOfRaw(shortHeaderLines(100_000));
    expect(headers).toHaveLength(100_000);
    expect(headers[0]).toEqual({ name: 'x-h0', value: 'v0', raw: 'X-H0: v0' });
    expect(headers[99_999]).toEqual({ name: 'x-h99999', value: 'v99999', raw: 'X-H99999: v99999' });
  });

  it('folds continuation lines with the spacing a single value would have', () => {
    const headers = headersOfRaw(Buffer.from('Subject: a\r\n  b \r\n\t\r\n c\r\nTo: x@y\r\n\r\n'));
    expect(headers).toEqual([
      { name: 'subject', value: 'a b c', raw: 'Subject: a\n  b \n\t\n c' },
      { name: 'to', value: 'x@y', raw: 'To: x@y' },
    ]);
    expect(headersOfRaw(Buffer.from('Subject:\r\n  \r\n b\r\n\r\n'))[0].value).toBe('b');
  });
});

describe('the header block', () => {
  it('is measured up to the first empty line, in bytes, whatever the line endings', () => {
    expect(headerBlockBytes(Buffer.from('Subject: x\r\n\r\nbody'))).toBe('Subject: x'.length);
    expect(headerBlockBytes(Buffer.from('Subject: x\n\nbody\r\n\r\nmore'))).toBe('Subject: x'.length);
    expect(headerBlockBytes(Buffer.from('Subject: x\r\nTo: y'))).toBe('Subject: x\r\nTo: y'.length);
    expect(headerBlockBytes(foldedHeader(1024 * 1024).raw)).toBeGreaterThan(1024 * 1024);
  });

  it('is empty when the message opens with an empty line (all body)', () => {
    expect(headerBlockBytes(Buffer.from('\r\nno headers at all\r\n\r\nstill body'))).toBe(0);
    expect(splitMessage(Buffer.from('\nbody')).body.toString()).toBe('body');
    expect(splitMessage(Buffer.from('\r\nbody')).head).toBe('');
  });
});

describe('everything read from a raw message is linear in its input', () => {
  const limits = { maxParts: 100, maxDepth: 8 };
  const text = (s: string) => s.length;
  const repeatTo = (unit: string, bytes: number) => unit.repeat(Math.ceil(bytes / unit.length));

  it.each<[string, (bytes: number) => Buffer, (raw: Buffer) => unknown]>([
    ['parseHeaders, one folded header', (n) => foldedHeader(n).raw, headersOfRaw],
    ['parseHeaders, short header lines', (n) => shortHeaderLines(Math.ceil(n / 14)), headersOfRaw],
    ['contentHash, one folded header', (n) => foldedHeader(n).raw, contentHash],
    ['mimeProblem, one folded header', (n) => foldedHeader(n).raw, (raw) => mimeProblem(raw, limits)],
    [
      'contentHash, a body of empty lines before its text',
      (n) => Buffer.from(`S: x\r\n\r\n${repeatTo('\r\n', n)}x`),
      contentHash,
    ],
    ['contentHash, a body of empty lines (LF)', (n) => Buffer.from(`S: x\n\n${repeatTo('\n', n)}x`), contentHash],
    ['contentHash, no empty line at all', (n) => Buffer.from(repeatTo('a', n)), contentHash],
    [
      'mimeProblem, a multipart of many parts',
      (n) => Buffer.from(`Content-Type: multipart/mixed; boundary=zz\r\n\r\n${repeatTo('--zz\r\n\r\nx\r\n', n)}`),
      (raw) => mimeProblem(raw, limits),
    ],
    [
      'mimeProblem, a long boundary over many lines',
      (n) =>
        Buffer.from(
          `Content-Type: multipart/mixed; boundary="${'b'.repeat(n / 2)}"\r\n\r\n${repeatTo('x\r\n', n / 2)}`,
        ),
      (raw) => mimeProblem(raw, limits),
    ],
    [
      'mimeProblem, a boundary parameter that never closes its quote',
      (n) => Buffer.from(`Content-Type: multipart/mixed; ${repeatTo('boundary = "', n)}\r\n\r\nx`),
      (raw) => mimeProblem(raw, limits),
    ],
  ])('%s', (_name, make, run) => {
    expect(growthPerKb(make, bytesOf, run)).toBeLessThan(20);
  });

  it.each<[string, (bytes: number) => string, (value: string) => unknown]>([
    ['messageIds, a run of "<"', (n) => '<'.repeat(n), messageIds],
    ['messageIds, ids that never close', (n) => repeatTo(`<${'a'.repeat(899)}`, n), messageIds],
    ['messageIds, a run of "<a"', (n) => repeatTo('<a', n), messageIds],
    ['replyText, quoted lines', (n) => repeatTo('> quoted\n', n), replyText],
    ['replyText, attribution lines', (n) => `mine\n${repeatTo('On Tue, Desk wrote:\n', n)}`, replyText],
    ['replyText, a run of spaces after "wrote:"', (n) => `wrote:${' '.repeat(n)}x`, replyText],
    ['replyText, a run of dashes', (n) => `${'-'.repeat(n)} Original Message ${' '.repeat(n)}x`, replyText],
    ['replyText, one long line of spaces', (n) => `${' '.repeat(n)}>`, replyText],
  ])('%s', (_name, make, run) => {
    expect(growthPerKb(make, text, run)).toBeLessThan(20);
  });
});
