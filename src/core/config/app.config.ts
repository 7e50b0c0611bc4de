import { registerAs } from '@nestjs/config';
import { IsEmail, IsIn, IsInt, IsString, IsUrl, Matches, Max, Min, MinLength } from 'class-validator';
import { LOCALES, type Locale } from '../i18n/locales';
import { splitList, validateEnv } from './validate-env';

const DOMAIN_LIST = /^\s*[a-z0-9.-]+\.[a-z]{2,}\s*(,\s*[a-z0-9.-]+\.[a-z]{2,}\s*)*$/i;

export class AppEnv {
  @IsInt() @Min(1) @Max(65535) PORT = 3000;
  @IsUrl({ require_tld: false, protocols: ['http', 'https'], require_protocol: true })
  PUBLIC_URL = 'http://localhost:3000';
  @IsString() @MinLength(1) SITE_NAME = 'Example Software';
  @Matches(DOMAIN_LIST, { message: 'SITE_DOMAINS must be a comma-separated list of domain names' })
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
