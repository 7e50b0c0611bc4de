import { loopReason } from './mail-loop';
import {
  contentHash,
  messageIdOf,
  messageIds,
  mimeProblem,
  parseHeaders,
  receivedHeader,
  replyText,
  splitMessage,
} from './raw-message';

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

describe('replyText', () => {
  it('drops quoted lines, their attribution and an Original Message tail', () => {
    const reply = [
      'I have a good faith belief that this use is not authorized.',
      '',
      'On Tue, 1 Dec 2026, Desk <dmca@example.com> wrote:',
      '> Include this sentence: "I swear, under penalty of perjury ..."',
      '>',
    ].join('\n');
    expect(replyText(reply)).toBe('I have a good faith belief that this use is not authorized.');
    expect(replyText('Signed, Jane\n-----Original Message-----\nI swear, under penalty of perjury')).toBe(
      'Signed, Jane',
    );
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
