import { registerAs } from '@nestjs/config';
import { IsBoolean, IsInt, Max, Min } from 'class-validator';
import { validateEnv } from './validate-env';

/** 17 U.S.C. 512(g)(2)(C): not less than 10, nor more than 14, business days after a complete counter-notice. */
export const RESTORE_WINDOW = { min: 10, max: 14 } as const;

export class CounterNoticeEnv {
  /**
   * The business day, inside the window the law sets, on which removed material is put back after a complete
   * counter-notice unless the complainant has told us of a suit.
   */
  @IsInt()
  @Min(RESTORE_WINDOW.min, {
    message: `COUNTER_NOTICE_RESTORE_BUSINESS_DAYS must be at least ${RESTORE_WINDOW.min}: 512(g)(2)(C) allows restoring no sooner`,
  })
  @Max(RESTORE_WINDOW.max, {
    message: `COUNTER_NOTICE_RESTORE_BUSINESS_DAYS must be at most ${RESTORE_WINDOW.max}: 512(g)(2)(C) allows restoring no later`,
  })
  COUNTER_NOTICE_RESTORE_BUSINESS_DAYS = 10;
  /** Whether staff review a complete counter-notice before it is forwarded; off, it is forwarded at once. */
  @IsBoolean() COUNTER_NOTICE_REQUIRE_REVIEW = false;
}

export const counterNoticeConfig = registerAs('counterNotice', () => {
  const env = validateEnv(CounterNoticeEnv);
  return {
    restoreBusinessDays: env.COUNTER_NOTICE_RESTORE_BUSINESS_DAYS,
    requireReview: env.COUNTER_NOTICE_REQUIRE_REVIEW,
  };
});
export type CounterNoticeConfig = ReturnType<typeof counterNoticeConfig>;
