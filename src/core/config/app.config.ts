import { domainToASCII } from 'node:url';
import { registerAs } from '@nestjs/config';
import { parse as parseDomain } from 'tldts';
import { IsEmail, IsIn, IsInt, IsString, IsUrl, Matches, Max, Min, MinLength, ValidateBy } from 'class-validator';
import { LOCALES, type Locale } from '../i18n/locales';
import { splitList, validateEnv } from './validate-env';

const LABEL = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;

/**
 * A host name as a site domain: letters, digits and hyphens in dot-separated labels (Unicode ones as their punycode),
 * with any suffix or none, since a staging or intranet site (softhub.test, downloads.internal, intranet) is still
 * ours. Refused: schemes, paths, ports, wildcards, empty labels, IP addresses and a public suffix itself ("com",
 * "co.uk"), which would make half the web internal.
 */
export function isSiteDomain(value: string): boolean {
  const d = value.trim().toLowerCase().replace(/\.$/, '');
  // domainToASCII reads "example.com/path" as a URL's host; only letters, digits, dots and hyphens may pass.
  if (!/^[a-z0-9.\-\u0080-\uffff]+$/.test(d)) return false;
  const ascii = domainToASCII(d);
  if (!ascii || ascii.length > 253) return false;
  const labels = ascii.split('.');
  if (!labels.every((l) => LABEL.test(l)) || /^\d+$/.test(labels[labels.length - 1])) return false;
  const parsed = parseDomain(ascii, { extractHostname: false, allowPrivateDomains: false });
  return !(parsed.isIcann && !parsed.domain);
}

const IsSiteDomainList = () =>
  ValidateBy({
    name: 'isSiteDomainList',
    validator: {
      validate: (v: unknown) => typeof v === 'string' && v.split(',').every((d) => isSiteDomain(d)),
      defaultMessage: () => 'SITE_DOMAINS must be a comma-separated list of domain names',
    },
  });

export class AppEnv {
  @IsInt() @Min(1) @Max(65535) PORT = 3000;
  @IsUrl({ require_tld: false, protocols: ['http', 'https'], require_protocol: true })
  PUBLIC_URL = 'http://localhost:3000';
  @IsString() @MinLength(1) SITE_NAME = 'Example Software';
  @IsSiteDomainList()
  SITE_DOMAINS = 'example.com';
  @IsString() @MinLength(1) AGENT_NAME = 'Designated DMCA Agent';
  @IsEmail() AGENT_EMAIL = 'dmca@example.com';
  @IsString() AGENT_ADDRESS = '';
  @IsString()
  @MinLength(16, { message: 'APP_SECRET must be at least 16 characters' })
  APP_SECRET = 'dev-only-secret-change-me';
  @IsIn(['debug', 'log', 'warn', 'error']) LOG_LEVEL = 'log';
  /** A file the JSON log lines are appended to, instead of standard output (the CLI's: standard error). */
  @IsString() LOG_FILE = '';
  /**
   * Which proxies to believe about the client's address and scheme (Express "trust proxy"): loopback, a comma-separated
   * list of addresses or subnets, a number of hops, or false. Rate limits and Secure cookies depend on it.
   */
  @Matches(/^(false|true|\d{1,2}|[0-9a-f:.,/ ]+|loopback|linklocal|uniquelocal)$/i, {
    message: 'TRUST_PROXY must be false, a number of hops, loopback, or a list of addresses/subnets',
  })
  TRUST_PROXY = 'loopback';
  /** Notices per minute one address may post through the public form. */
  @IsInt() @Min(1) FORM_RATE_LIMIT = 10;
  /**
   * The language of letters to uploaders and providers, and of pages whose reader's language is not known: en or
   * zh-Hans. A notice's own sender is written to in the notice's language.
   */
  @IsIn(LOCALES, { message: `DEFAULT_LOCALE must be one of ${LOCALES.join(', ')}` }) DEFAULT_LOCALE = 'en';
}

export const appConfig = registerAs('app', () => {
  const env = validateEnv(AppEnv);
  return {
    port: env.PORT,
    publicUrl: env.PUBLIC_URL.replace(/\/+$/, ''),
    siteName: env.SITE_NAME,
    siteDomains: splitList(env.SITE_DOMAINS.toLowerCase()),
    agent: { name: env.AGENT_NAME, email: env.AGENT_EMAIL, address: env.AGENT_ADDRESS },
    secret: env.APP_SECRET,
    logLevel: env.LOG_LEVEL as 'debug' | 'log' | 'warn' | 'error',
    logFile: env.LOG_FILE || undefined,
    formRateLimitPerMinute: env.FORM_RATE_LIMIT,
    trustProxy: trustProxy(env.TRUST_PROXY),
    defaultLocale: env.DEFAULT_LOCALE as Locale,
  };
});
export type AppConfig = ReturnType<typeof appConfig>;

function trustProxy(value: string): boolean | number | string {
  if (/^(true|false)$/i.test(value)) return value.toLowerCase() === 'true';
  if (/^\d+$/.test(value)) return Number(value);
  return value;
}
