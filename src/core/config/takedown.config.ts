import { registerAs } from '@nestjs/config';
import { IsBoolean, IsIn, IsInt, IsOptional, IsString, IsUrl, Max, Min } from 'class-validator';
import { ConfigError, validateEnv } from './validate-env';

export class TakedownEnv {
  /** Seconds between a complete notice and its takedowns falling due. */
  @IsInt() @Min(0) TAKEDOWN_DELAY_SECONDS = 0;
  /** When true, takedowns wait for staff approval instead of falling due on their own. */
  @IsBoolean() TAKEDOWN_REQUIRE_APPROVAL = false;
  @IsInt() @Min(1) @Max(3600) SWEEP_EVERY_SECONDS = 30;
  @IsInt() @Min(1) @Max(5000) SWEEP_BATCH_SIZE = 500;
  @IsIn(['catalog', 'webhook']) SITE_ADAPTER = 'catalog';
  @IsOptional() @IsUrl({ require_tld: false, require_protocol: true }) SITE_WEBHOOK_URL?: string = undefined;
  @IsOptional() @IsString() SITE_WEBHOOK_SECRET?: string = undefined;
}

export const takedownConfig = registerAs('takedown', () => {
  const env = validateEnv(TakedownEnv);
  if (env.SITE_ADAPTER === 'webhook' && (!env.SITE_WEBHOOK_URL || !env.SITE_WEBHOOK_SECRET)) {
    throw new ConfigError(
      'Invalid configuration:\n  SITE_ADAPTER=webhook needs SITE_WEBHOOK_URL and SITE_WEBHOOK_SECRET',
    );
  }
  return {
    delaySeconds: env.TAKEDOWN_DELAY_SECONDS,
    requireApproval: env.TAKEDOWN_REQUIRE_APPROVAL,
    sweepEverySeconds: env.SWEEP_EVERY_SECONDS,
    sweepBatchSize: env.SWEEP_BATCH_SIZE,
    siteAdapter: env.SITE_ADAPTER as 'catalog' | 'webhook',
    webhook: { url: env.SITE_WEBHOOK_URL ?? '', secret: env.SITE_WEBHOOK_SECRET ?? '' },
  };
});
export type TakedownConfig = ReturnType<typeof takedownConfig>;
