import { registerAs } from '@nestjs/config';
import { IsInt, IsTimeZone, Matches, Max, Min } from 'class-validator';
import { splitList, validateEnv } from './validate-env';

export class SlaEnv {
  /** Business days within which staff should first act on a new case (assign, note, decide). */
  @IsInt() @Min(0) @Max(60) SLA_ACK_BUSINESS_DAYS = 1;
  /** Business days within which a case should be decided: actioned, rejected or sent back for information. */
  @IsInt() @Min(0) @Max(60) SLA_ACTION_BUSINESS_DAYS = 2;
  /** The same for a trusted flagger's notice (DSA Art. 22(1): decided with priority and without undue delay). */
  @IsInt() @Min(0) @Max(60) SLA_TRUSTED_ACTION_BUSINESS_DAYS = 1;
  /** Where the legal team works: business days and holidays are its calendar days (an IANA name). */
  @IsTimeZone({ message: 'SLA_TIMEZONE must be an IANA time zone such as UTC or America/New_York' })
  SLA_TIMEZONE = 'UTC';
  /** Days off besides Saturdays and Sundays, as YYYY-MM-DD, comma-separated, in SLA_TIMEZONE. */
  @Matches(/^(\s*\d{4}-\d{2}-\d{2}\s*(,\s*\d{4}-\d{2}-\d{2}\s*)*)?$/, {
    message: 'SLA_HOLIDAYS must be dates as YYYY-MM-DD, separated by commas',
  })
  SLA_HOLIDAYS = '';
}

export const slaConfig = registerAs('sla', () => {
  const env = validateEnv(SlaEnv);
  return {
    ackBusinessDays: env.SLA_ACK_BUSINESS_DAYS,
    actionBusinessDays: env.SLA_ACTION_BUSINESS_DAYS,
    trustedActionBusinessDays: env.SLA_TRUSTED_ACTION_BUSINESS_DAYS,
    holidays: splitList(env.SLA_HOLIDAYS),
    timeZone: env.SLA_TIMEZONE,
  };
});
export type SlaConfig = ReturnType<typeof slaConfig>;
