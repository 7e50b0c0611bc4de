import { createHash, randomBytes } from 'node:crypto';
import { compose } from '../../test/support/mail-fixtures';
import { attachmentUse, evidenceBytes, mailContent } from './mail-content';
import { PARSE_LIMITS, ParseBudget, parseMail } from './parse-budget';

const sha256 = (bytes: Buffer): string => createHash('sha256').update(bytes).digest('hex');

describe('mail content', () => {
  const pdf = randomBytes(300_000);
  const png = randomBytes(2_000);
  let forwarded: Buffer;
  let outer: Buffer;

  beforeAll(async () => {
    forwarded = await compose({
      from: 'Rights Desk <desk@rights.example.org>',
      to: 'agent@rights.example.org',
      subject: 'The original notice',
      text: 'Please remove https://example.com/d/one',
      attachments: [{ filename: 'screenshot.png', content: png, contentType: 'image/png' }],
    });
    outer = await compose({
      from: 'Jane Roe <jane@rights.example.org>',
      to: 'dmca@example.com',
      subject: 'DMCA notice',
      text: 'See the attached notice and evidence.',
      attachments: [
        { filename: 'evidence.pdf', content: pdf, contentType: 'application/pdf' },
        { filename: 'urls.txt', content: 'https://example.com/d/two\n', contentType: 'text/plain' },
        // Unencoded, mailparser reads into it as part of the message; encoded, it is an attachment read in turn.
        { filename: 'original.eml', content: forwarded, contentType: 'message/rfc822' },
        { filename: 'copy.eml', content: forwarded, contentType: 'message/rfc822', contentTransferEncoding: 'base64' },
      ],
    });
  });

  it('reads text and forwarded messages, and only digests any other attachment', async () => {
    const mail = await parseMail(outer, attachmentUse);
    const byName = new Map(mail.attachments.map((a) => [a.filename, a]));
    expect(byName.get('evidence.pdf')).toMatchObject({ read: false, size: pdf.length, checksum: sha256(pdf) });
    expect(byName.get('evidence.pdf')!.content).toHaveLength(0);
    expect(byName.get('urls.txt')).toMatchObject({ read: true });
    expect(byName.get('urls.txt')!.content.toString()).toBe('https://example.com/d/two\n');
    expect(byName.get('copy.eml')!.content.equals(forwarded)).toBe(true);
    expect(byName.get('screenshot.png')).toMatchObject({ partId: '4.2', read: false, checksum: sha256(png) });
    expect(mail.subject).toBe('DMCA notice');
    expect(mail.from?.value[0].address).toBe('jane@rights.example.org');
    expect(mail.text).toContain('See the attached notice');
  });

  it('names each evidence file by its part, through forwarded messages, and finds its bytes again there', async () => {
    const budget = new ParseBudget(PARSE_LIMITS);
    const content = await mailContent(await budget.parse(outer, attachmentUse), 0, budget);
    expect(content.text).toContain('https://example.com/d/two');
    expect(content.text).toContain('Please remove https://example.com/d/one');
    expect(content.evidence).toEqual([
      { filename: 'evidence.pdf', contentType: 'application/pdf', size: pdf.length, sha256: sha256(pdf), part: ['2'] },
      { filename: 'screenshot.png', contentType: 'image/png', size: png.length, sha256: sha256(png), part: ['4.2'] },
      { filename: 'screenshot.png', contentType: 'image/png', size: png.length, sha256: sha256(png), part: ['5', '2'] },
    ]);
    expect((await evidenceBytes(outer, ['2']))!.equals(pdf)).toBe(true);
    expect((await evidenceBytes(outer, ['4.2']))!.equals(png)).toBe(true);
    expect((await evidenceBytes(outer, ['5', '2']))!.equals(png)).toBe(true);
    expect(await evidenceBytes(outer, ['9'])).toBeUndefined();
    expect(await evidenceBytes(outer, ['2', '1'])).toBeUndefined();
  });

  it('finds the bytes of a message that is one attachment and nothing else', async () => {
    const single = Buffer.concat([
      Buffer.from(
        'From: jane@rights.example.org\r\nSubject: evidence\r\nContent-Type: application/pdf\r\n' +
          'Content-Disposition: attachment; filename="e.pdf"\r\nContent-Transfer-Encoding: base64\r\n\r\n',
      ),
      Buffer.from(pdf.subarray(0, 3000).toString('base64').replace(/.{76}/g, '$&\r\n')),
      Buffer.from('\r\n'),
    ]);
    const budget = new ParseBudget(PARSE_LIMITS);
    const content = await mailContent(await budget.parse(single, attachmentUse), 0, budget);
    expect(content.evidence).toMatchObject([{ filename: 'e.pdf', part: [''], size: 3000 }]);
    expect((await evidenceBytes(single, ['']))!.equals(pdf.subarray(0, 3000))).toBe(true);
  });
});
