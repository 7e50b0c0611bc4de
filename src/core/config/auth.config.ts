import { registerAs } from '@nestjs/config';
import { IsInt, Max, Min } from 'class-validator';
import { validateEnv } from './validate-env';

export class AuthEnv {
  /**
   * Failed sign-ins per client address, and per address at one account, before each further attempt has to wait;
   * also the account's own free failures, for addresses that have spent theirs at it.
   */
  @IsInt() @Min(0) @Max(100) LOGIN_FREE_FAILURES = 5;
  /**
   * Failed sign-ins at one account, from all addresses together, before an address that has not failed at it (its
   * owner's) waits the account's delay too (see README, "Sign-in").
   */
  @IsInt() @Min(0) @Max(1_000_000) LOGIN_ACCOUNT_FREE_FAILURES = 100;
  /** The first wait after the free failures; each further failure doubles it, up to the caps below. */
  @IsInt() @Min(1) @Max(3_600_000) LOGIN_DELAY_BASE_MS = 1000;
  /**
   * The longest an account waits, however many strangers guess at it: its owner is never kept out longer than this
   * (see README, "Sign-in").
   */
  @IsInt() @Min(1) @Max(3_600_000) LOGIN_ACCOUNT_DELAY_MAX_MS = 30_000;
  /** The longest one client address waits: one address that keeps guessing is slowed far more than an account. */
  @IsInt() @Min(1) @Max(86_400_000) LOGIN_ADDRESS_DELAY_MAX_MS = 900_000;
}

export const authConfig = registerAs('auth', () => {
  const env = validateEnv(AuthEnv);
  return {
    login: {
      freeFailures: env.LOGIN_FREE_FAILURES,
      accountFreeFailures: env.LOGIN_ACCOUNT_FREE_FAILURES,
      baseDelayMs: env.LOGIN_DELAY_BASE_MS,
      accountMaxDelayMs: env.LOGIN_ACCOUNT_DELAY_MAX_MS,
      addressMaxDelayMs: env.LOGIN_ADDRESS_DELAY_MAX_MS,
    },
  };
});
export type AuthConfig = ReturnType<typeof authConfig>;
