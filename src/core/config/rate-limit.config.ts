import { registerAs } from '@nestjs/config';
import { IsInt, Max, Min } from 'class-validator';
import { validateEnv } from './validate-env';

/**
 * Notices per window (RATE_LIMIT_WINDOW_SECONDS, a minute by default) one sender or one client address may file, counted in Redis so that every API process and
 * every worker's SMTP listener shares the count. 0 turns a limit off. A real agency files thousands of URLs in one
 * notice, not hundreds of notices a minute.
 */
export class RateLimitEnv {
  /** The counting window, in seconds: each limit below is per window. */
  @IsInt() @Min(1) @Max(86_400) RATE_LIMIT_WINDOW_SECONDS = 60;
  /** JSON API notices per window from one client address. */
  @IsInt() @Min(0) @Max(1_000_000) API_RATE_LIMIT = 60;
  /** JSON API notices per window from one anonymous sender (the complainant's address). */
  @IsInt() @Min(0) @Max(1_000_000) API_SENDER_RATE_LIMIT = 20;
  /** JSON API notices per window under one agency key (its own count, instead of the sender's). */
  @IsInt() @Min(0) @Max(1_000_000) AGENCY_RATE_LIMIT = 600;
  /** Messages per window the SMTP listener takes from one client address; more get 451 at RCPT TO. */
  @IsInt() @Min(0) @Max(1_000_000) SMTP_RATE_LIMIT = 60;
  /** Messages per window from one envelope sender (MAIL FROM); more get 451. */
  @IsInt() @Min(0) @Max(1_000_000) SMTP_SENDER_RATE_LIMIT = 20;
}

export const rateLimitConfig = registerAs('rateLimit', () => {
  const env = validateEnv(RateLimitEnv);
  return {
    apiPerAddress: env.API_RATE_LIMIT,
    apiPerSender: env.API_SENDER_RATE_LIMIT,
    apiPerAgency: env.AGENCY_RATE_LIMIT,
    smtpPerAddress: env.SMTP_RATE_LIMIT,
    smtpPerSender: env.SMTP_SENDER_RATE_LIMIT,
    windowMs: env.RATE_LIMIT_WINDOW_SECONDS * 1000,
  };
});
export type RateLimitConfig = ReturnType<typeof rateLimitConfig>;
