import { registerAs } from '@nestjs/config';
import { IsEmail, IsIn, IsInt, IsOptional, IsString, IsUrl, Matches, Max, Min, ValidateIf } from 'class-validator';
import { kekId, parseKek } from '../privacy/envelope';
import { ConfigError, validateEnv } from './validate-env';

/** The development key-encryption key: fine on a laptop, refused when NODE_ENV=production. */
export const DEVELOPMENT_KEK = 'ZGV2ZWxvcG1lbnQtb25seS1wcml2YWN5LWtlay0wMDA=';

export class PrivacyEnv {
  /** Only to refuse the development defaults in production. */
  @IsIn(['', 'development', 'test', 'production']) NODE_ENV = '';
  /** The key-encryption key that wraps every data subject's key: 32 bytes as 64 hex digits or base64. */
  @IsString() PRIVACY_KEK = DEVELOPMENT_KEK;
  /** The key being rotated away from, while `npm run cli -- rotate-kek` re-wraps the stored keys. */
  @IsString() PRIVACY_KEK_PREVIOUS = '';

  // Retention (README, "Personal data"): counted from the day the case closed
  /** Raw mail and its attachments (evidence files), after the case closes. */
  @IsInt() @Min(1) @Max(36_500) RETAIN_RAW_MAIL_DAYS = 90;
  /** The parties' personal data: the limitation period for claims about the notice (17 U.S.C. 507(b): 3 years). */
  @IsInt() @Min(1) @Max(100) RETAIN_PARTY_DATA_YEARS = 3;
  /** Stored API answers and their idempotency keys. */
  @IsInt() @Min(1) @Max(3650) RETAIN_API_ANSWER_DAYS = 30;
  /** Outbox rows already handed to the queue, and finished jobs in Redis. */
  @IsInt() @Min(1) @Max(3650) RETAIN_DISPATCHED_DAYS = 7;
  /** Staff sessions after they expired, and sign-in attempts. */
  @IsInt() @Min(1) @Max(3650) RETAIN_SESSION_DAYS = 30;
  /** When the worker applies the schedule: a cron pattern (5 fields, or 6 with seconds first), in UTC. */
  @Matches(/^\s*\S+(\s+\S+){4,5}\s*$/, {
    message: 'RETENTION_CRON must be a cron pattern of 5 fields (or 6, seconds first), such as "30 3 * * *"',
  })
  RETENTION_CRON = '30 3 * * *';

  // Requests from the people the data is about
  /** How long an access or erasure request may take (GDPR Art. 12(3): one month). */
  @IsInt() @Min(1) @Max(90) PRIVACY_REQUEST_DAYS = 30;
  /** A parent's request for a minor's data is overdue after this many hours without a staff decision. */
  @IsInt() @Min(1) @Max(72) PRIVACY_MINOR_HOURS = 24;
  /** How long the mailed confirmation link and the access export's link stay valid. */
  @IsInt() @Min(1) @Max(720) PRIVACY_LINK_HOURS = 72;
  /** Who answers for the data (the controller), as the privacy notice names it; SITE_NAME when unset. */
  @IsString() PRIVACY_CONTROLLER = '';
  /** Where privacy questions go; AGENT_EMAIL when unset. */
  @ValidateIf((e: PrivacyEnv) => e.PRIVACY_CONTACT_EMAIL !== '') @IsEmail() PRIVACY_CONTACT_EMAIL = '';
  /** The supervisory authority a person may complain to, and its address on the web. */
  @IsString() PRIVACY_AUTHORITY = 'the data protection authority where you live or work';
  @IsOptional()
  @ValidateIf((e: PrivacyEnv) => e.PRIVACY_AUTHORITY_URL !== '')
  @IsUrl({ require_protocol: true })
  PRIVACY_AUTHORITY_URL = '';
}

export interface Kek {
  key: Buffer;
  id: string;
}

export const privacyConfig = registerAs('privacy', () => {
  const env = validateEnv(PrivacyEnv);
  const kek = readKek('PRIVACY_KEK', env.PRIVACY_KEK);
  if (env.NODE_ENV === 'production' && env.PRIVACY_KEK.trim() === DEVELOPMENT_KEK)
    throw new ConfigError(
      'PRIVACY_KEK is the development default; production needs its own key (openssl rand -base64 32)',
    );
  const previous = env.PRIVACY_KEK_PREVIOUS.trim() ? readKek('PRIVACY_KEK_PREVIOUS', env.PRIVACY_KEK_PREVIOUS) : null;
  return {
    kek,
    previousKek: previous && previous.id !== kek.id ? previous : null,
    retention: {
      rawMailDays: env.RETAIN_RAW_MAIL_DAYS,
      partyDataYears: env.RETAIN_PARTY_DATA_YEARS,
      apiAnswerDays: env.RETAIN_API_ANSWER_DAYS,
      dispatchedDays: env.RETAIN_DISPATCHED_DAYS,
      sessionDays: env.RETAIN_SESSION_DAYS,
    },
    retentionCron: env.RETENTION_CRON.trim(),
    requests: {
      days: env.PRIVACY_REQUEST_DAYS,
      minorHours: env.PRIVACY_MINOR_HOURS,
      linkHours: env.PRIVACY_LINK_HOURS,
    },
    controller: env.PRIVACY_CONTROLLER.trim() || null,
    contactEmail: env.PRIVACY_CONTACT_EMAIL.trim() || null,
    authority: { name: env.PRIVACY_AUTHORITY, url: env.PRIVACY_AUTHORITY_URL.trim() || null },
  };
});
export type PrivacyConfig = ReturnType<typeof privacyConfig>;

function readKek(name: string, value: string): Kek {
  const key = parseKek(value);
  if (!key)
    throw new ConfigError(
      `Invalid configuration:\n  ${name}: must be a 32-byte key written as 64 hex digits or base64 (openssl rand -base64 32)`,
    );
  return { key, id: kekId(key) };
}
