import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { createTransport } from 'nodemailer';
import type Mail from 'nodemailer/lib/mailer';
import MailComposer from 'nodemailer/lib/mail-composer';
import type { DNSResolver } from 'mailauth';

/** A domain whose DNS (in the fake zone below) publishes SPF -all and DMARC p=reject: mail from it fails DMARC. */
export const DMARC_REJECT_DOMAIN = 'strict-sender.test';
/** A domain whose SPF allows the loopback address and whose DMARC p=reject: its mail sent from here passes DMARC. */
export const DMARC_PASS_DOMAIN = 'trusted-sender.test';

/**
 * A fixed DNS zone for mailauth, so that SPF, DKIM and DMARC results do not depend on the network the tests run on.
 * Every name but the strict and the trusted domains' answers NXDOMAIN (results "none"). Test senders use the reserved .test TLD, so
 * that a worker with the real resolver (another test file's) finds no policy either.
 */
export const fakeResolver: DNSResolver = (name, rrtype) => {
  const zone: Record<string, string[][]> = {
    [`TXT ${DMARC_REJECT_DOMAIN}`]: [['v=spf1 -all']],
    [`TXT _dmarc.${DMARC_REJECT_DOMAIN}`]: [['v=DMARC1; p=reject; adkim=s; aspf=s']],
    [`TXT ${DMARC_PASS_DOMAIN}`]: [['v=spf1 ip4:127.0.0.1 ip6:::1 -all']],
    [`TXT _dmarc.${DMARC_PASS_DOMAIN}`]: [['v=DMARC1; p=reject']],
  };
  const answer = zone[`${rrtype} ${name.toLowerCase()}`];
  if (answer) return Promise.resolve(answer);
  return Promise.reject(Object.assign(new Error(`queryTxt ENOTFOUND ${name}`), { code: 'ENOTFOUND' }));
};

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/** A MIME message built by nodemailer's composer, with a Message-ID of our choosing. */
export async function compose(options: Mail.Options): Promise<Buffer> {
  return new MailComposer(options).compile().build();
}

export interface SmtpError extends Error {
  responseCode?: number;
  response?: string;
}

/** Sends raw MIME to our listener over a real SMTP conversation; resolves with the server's final reply. */
export async function sendRaw(
  port: number,
  raw: Buffer | string,
  envelope: { from: string; to: string[] },
): Promise<string> {
  const transport = createTransport({ host: '127.0.0.1', port, secure: false, ignoreTLS: true, name: 'client.test' });
  try {
    const info = await transport.sendMail({ envelope, raw });
    return info.response;
  } finally {
    transport.close();
  }
}

/** A notice as an agency would write it: every element the checklist needs, for one URL. */
export function completeNoticeText(url: string, name = 'Jane Roe', email = 'jane@rights-holder.test'): string {
  return [
    'To whom it may concern,',
    '',
    'I am the author of the novel "The Long Road", published at https://author.example/long-road.',
    `An unauthorized copy is posted at ${url} and it appears when searching for "long road pdf".`,
    '',
    `You can reach me at ${email} or by phone at +1 555 123 4567.`,
    '',
    'I have a good faith belief that use of the copyrighted materials described above is not authorized by the copyright owner, its agent, or the law.',
    '',
    'I swear, under penalty of perjury, that the information in this notification is accurate and that I am the copyright owner, or am authorized to act on behalf of the owner.',
    '',
    'Sincerely,',
    '',
    name,
  ].join('\n');
}

/** The same notice without the statements and the signature: work, material and contact only. */
export function deficientNoticeText(url: string): string {
  return [
    'Dear Sir or Madam,',
    '',
    'Our company owns the copyright in the software "PixelForge Pro". The original is available at https://pixelforge.io/pro.',
    `An unauthorised copy is offered for download at ${url}`,
    '',
    'Contact: legal@pixelforge.test, +1 415 555 0100',
  ].join('\n');
}

/** What a reply supplying the missing statements says. */
export const MISSING_STATEMENTS = [
  'Search terms: PixelForge Pro',
  '',
  'I have a good faith belief that use of the material in the manner complained of is not authorized by the copyright owner, its agent, or the law.',
  '',
  'I swear, under penalty of perjury, that the information in this notification is accurate and that I am the copyright owner, or am authorized to act on behalf of the owner.',
  '',
  '/s/ Pat Smith',
].join('\n');
