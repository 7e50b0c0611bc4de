import { registerAs } from '@nestjs/config';
import { IsEmail, IsInt, IsOptional, IsString, Matches, Max, Min, MinLength } from 'class-validator';
import { ConfigError, splitList, validateEnv } from './validate-env';

export class MailEnv {
  /** Where letters go out: smtp://user:pass@host:587, smtps://… for implicit TLS. */
  @Matches(/^smtps?:\/\/.+/, { message: 'SMTP_URL must be an smtp:// or smtps:// URL' })
  SMTP_URL = 'smtp://127.0.0.1:1025';
  /** The From of every letter; replies to it should reach an intake address. */
  @IsEmail() MAIL_FROM = 'dmca@example.com';
  /** Addresses the SMTP listener accepts mail for (comma-separated); anything else gets 550. */
  @Matches(/^[^\s,@]+@[^\s,@]+(\s*,\s*[^\s,@]+@[^\s,@]+)*$/, {
    message: 'INBOUND_ADDRESSES must be a comma-separated list of email addresses',
  })
  INBOUND_ADDRESSES = 'dmca@example.com';
  /** Port of the SMTP listener in the worker; 0 turns it off. */
  @IsInt() @Min(0) @Max(65535) SMTP_LISTEN_PORT = 0;
  @IsString() SMTP_LISTEN_HOST = '0.0.0.0';
  /** Largest inbound message in bytes; larger is refused with 552. */
  @IsInt() @Min(1024) INBOUND_MAX_BYTES = 25 * 1024 * 1024;
  /**
   * Largest header block (everything before the first empty line) of an inbound message, in bytes: 552 on SMTP, 413
   * on the webhook, quarantined from IMAP. Real mail carries a few KB, tens with a long relay trail; 256 KiB is far
   * above that, and small enough that reading the headers before the 250 stays a matter of milliseconds.
   */
  @IsInt() @Min(1024) INBOUND_MAX_HEADER_BYTES = 256 * 1024;
  @IsInt() @Min(1) @Max(1000) SMTP_MAX_CONNECTIONS = 50;
  /** PEM files for STARTTLS on the listener; both or neither. */
  @IsOptional() @IsString() SMTP_TLS_KEY?: string = undefined;
  @IsOptional() @IsString() SMTP_TLS_CERT?: string = undefined;
  /** HMAC secret for POST /api/v1/inbound/email; unset turns the webhook off. */
  @IsOptional() @IsString() @MinLength(16) INBOUND_WEBHOOK_SECRET?: string = undefined;
  /** IMAP mailbox to poll; unset IMAP_HOST turns the poller off. */
  @IsOptional() @IsString() IMAP_HOST?: string = undefined;
  @IsInt() @Min(1) @Max(65535) IMAP_PORT = 993;
  @IsString() IMAP_TLS = 'true';
  @IsOptional() @IsString() IMAP_USER?: string = undefined;
  @IsOptional() @IsString() IMAP_PASSWORD?: string = undefined;
  @IsString() IMAP_FOLDER = 'INBOX';
  @IsString() IMAP_PROCESSED_FOLDER = 'Processed';
  @IsInt() @Min(5) IMAP_POLL_SECONDS = 60;
  /**
   * Stored messages one worker parses at a time. Parsing waits mostly on DNS (SPF, DKIM, DMARC), so more than the
   * cores helps; each slot may hold a message of up to INBOUND_MAX_BYTES in memory, several times over while parsed.
   */
  @IsInt() @Min(1) @Max(64) INBOUND_PARSE_CONCURRENCY = 4;
  /** The longest one DNS lookup of the sender checks may take; then that check reads temperror. */
  @IsInt() @Min(100) @Max(30_000) MAIL_DNS_TIMEOUT_MS = 2_000;
  /** How long DNS answers for the sender checks are kept in memory (negative answers at most a minute); 0: none. */
  @IsInt() @Min(0) @Max(86_400) MAIL_DNS_CACHE_SECONDS = 300;
}

export const mailConfig = registerAs('mail', () => {
  const env = validateEnv(MailEnv);
  if (Boolean(env.SMTP_TLS_KEY) !== Boolean(env.SMTP_TLS_CERT)) {
    throw new ConfigError(
      'Invalid configuration:\n  SMTP_TLS_KEY and SMTP_TLS_CERT go together: set both for STARTTLS, or neither',
    );
  }
  return {
    smtpUrl: env.SMTP_URL,
    from: env.MAIL_FROM,
    inboundAddresses: splitList(env.INBOUND_ADDRESSES.toLowerCase()),
    listener: {
      port: env.SMTP_LISTEN_PORT,
      host: env.SMTP_LISTEN_HOST,
      maxBytes: env.INBOUND_MAX_BYTES,
      maxHeaderBytes: env.INBOUND_MAX_HEADER_BYTES,
      maxConnections: env.SMTP_MAX_CONNECTIONS,
      tls: env.SMTP_TLS_KEY && env.SMTP_TLS_CERT ? { key: env.SMTP_TLS_KEY, cert: env.SMTP_TLS_CERT } : undefined,
    },
    webhookSecret: env.INBOUND_WEBHOOK_SECRET,
    parsing: {
      concurrency: env.INBOUND_PARSE_CONCURRENCY,
      dns: { timeoutMs: env.MAIL_DNS_TIMEOUT_MS, ttlSeconds: env.MAIL_DNS_CACHE_SECONDS },
    },
    imap: env.IMAP_HOST
      ? {
          host: env.IMAP_HOST,
          port: env.IMAP_PORT,
          secure: env.IMAP_TLS.toLowerCase() === 'true',
          user: env.IMAP_USER ?? '',
          password: env.IMAP_PASSWORD ?? '',
          folder: env.IMAP_FOLDER,
          processedFolder: env.IMAP_PROCESSED_FOLDER,
          pollSeconds: env.IMAP_POLL_SECONDS,
        }
      : undefined,
  };
});
export type MailConfig = ReturnType<typeof mailConfig>;
