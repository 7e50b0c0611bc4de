export * from './app.config';
export * from './database.config';
export * from './redis.config';
export * from './takedown.config';
export * from './intake.config';
export * from './mail.config';
export * from './sla.config';
export * from './auth.config';
export * from './reconcile.config';
export * from './letters.config';
export * from './counter-notice.config';
export * from './privacy.config';
export * from './strike.config';
export * from './notifier.config';
export * from './metrics.config';
export * from './rate-limit.config';
export * from './health.config';
export { ConfigError } from './validate-env';

import { appConfig } from './app.config';
import { authConfig } from './auth.config';
import { counterNoticeConfig } from './counter-notice.config';
import { privacyConfig } from './privacy.config';
import { databaseConfig } from './database.config';
import { intakeConfig } from './intake.config';
import { lettersConfig } from './letters.config';
import { mailConfig } from './mail.config';
import { reconcileConfig } from './reconcile.config';
import { redisConfig } from './redis.config';
import { slaConfig } from './sla.config';
import { strikeConfig } from './strike.config';
import { notifierConfig } from './notifier.config';
import { metricsConfig } from './metrics.config';
import { rateLimitConfig } from './rate-limit.config';
import { healthConfig } from './health.config';
import { takedownConfig } from './takedown.config';

/** Reads every namespace once, so that a bad setting stops the process before anything starts. */
export function assertConfig(): void {
  for (const load of [
    appConfig,
    databaseConfig,
    redisConfig,
    takedownConfig,
    intakeConfig,
    mailConfig,
    slaConfig,
    lettersConfig,
    authConfig,
    reconcileConfig,
    counterNoticeConfig,
    privacyConfig,
    strikeConfig,
    notifierConfig,
    metricsConfig,
    rateLimitConfig,
    healthConfig,
  ])
    load();
}
