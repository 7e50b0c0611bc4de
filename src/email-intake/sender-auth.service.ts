import { Inject, Injectable } from '@nestjs/common';
import { promises as dns } from 'node:dns';
import { hostname } from 'node:os';
import { authenticate, type DNSResolver } from 'mailauth';

/** DNS for SPF, DKIM and DMARC lookups; a test replaces it with a fixed zone. */
export const MAIL_DNS_RESOLVER = Symbol('MAIL_DNS_RESOLVER');

export const systemResolver: DNSResolver = (name, rrtype) =>
  dns.resolve(name, rrtype) as Promise<string[][] | string[]>;

/** What the notice records: each check's result, plus where the client's address came from. */
export interface SenderAuth {
  /** 'received': the client address is read from the topmost Received header (ours for SMTP, the provider's MX otherwise). */
  source: 'received' | 'none';
  spf: string;
  dkim: string;
  dmarc: string;
  dmarcPolicy?: string;
  dkimDomains?: string[];
  clientIp?: string;
  error?: string;
}

const AUTH_TIMEOUT_MS = 15_000;

/**
 * SPF, DKIM and DMARC of an inbound message by mailauth. The client's IP and HELO are taken from the topmost Received
 * header: for SMTP that is the line our listener wrote; for the webhook and IMAP it is the mail provider's MX, which
 * is what received it from the sender. A message without one is checked for DKIM and DMARC only.
 */
@Injectable()
export class SenderAuthService {
  constructor(@Inject(MAIL_DNS_RESOLVER) private readonly resolver: DNSResolver) {}

  async check(raw: Buffer, envelopeFrom: string | null, hasReceived: boolean): Promise<SenderAuth> {
    let timer: NodeJS.Timeout | undefined;
    try {
      const result = await Promise.race([
        authenticate(raw, {
          trustReceived: hasReceived,
          sender: envelopeFrom || undefined,
          mta: hostname(),
          resolver: this.resolver,
          disableArc: true,
          disableBimi: true,
        }),
        new Promise<never>((_, reject) => {
          timer = setTimeout(() => reject(new Error(`timed out after ${AUTH_TIMEOUT_MS} ms`)), AUTH_TIMEOUT_MS);
        }),
      ]);
      const dkim = result.dkim.results;
      return {
        source: hasReceived ? 'received' : 'none',
        spf: result.spf ? result.spf.status.result : 'none',
        dkim:
          dkim.length === 0 ? 'none' : dkim.some((d) => d.status.result === 'pass') ? 'pass' : dkim[0].status.result,
        dkimDomains: dkim.map((d) => d.signingDomain),
        dmarc: result.dmarc ? result.dmarc.status.result : 'none',
        dmarcPolicy: result.dmarc ? result.dmarc.p : undefined,
        clientIp: result.spf ? result.spf['client-ip'] : undefined,
      };
    } catch (error) {
      // A lookup that cannot be done is not a failure of the sender: record it and let staff see it.
      return {
        source: 'none',
        spf: 'temperror',
        dkim: 'temperror',
        dmarc: 'temperror',
        error: error instanceof Error ? error.message : String(error),
      };
    } finally {
      clearTimeout(timer);
    }
  }
}
