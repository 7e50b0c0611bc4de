import { registerAs } from '@nestjs/config';
import { IsBoolean, IsIn, IsInt, IsOptional, IsString, IsUrl, Matches, Max, Min } from 'class-validator';
import { ConfigError, validateEnv } from './validate-env';

/** Who sent a notice, as the auto-action policy weighs it (takedowns/auto-action-policy.ts). */
export type SenderStanding = 'trusted_flagger' | 'agency' | 'verified' | 'anonymous';

export class TakedownEnv {
  /** Seconds between a complete notice and its takedowns falling due. */
  @IsInt() @Min(0) TAKEDOWN_DELAY_SECONDS = 0;
  /** When true, every notice's takedowns wait for staff approval, whatever the auto-action policy says. */
  @IsBoolean() TAKEDOWN_REQUIRE_APPROVAL = false;
  /**
   * The senders whose complete notices are acted on at once; everyone else's wait for a person. Standings:
   * trusted_flagger, agency, verified (an address that showed it is the sender and has a clean record), anonymous.
   */
  @Matches(/^\s*(trusted_flagger|agency|verified|anonymous)(\s*,\s*(trusted_flagger|agency|verified|anonymous))*\s*$/, {
    message: 'AUTO_ACTION_STANDINGS must list some of trusted_flagger, agency, verified, anonymous (comma-separated)',
  })
  AUTO_ACTION_STANDINGS = 'trusted_flagger,agency,verified';
  /** More URLs than this in one notice wait for a person, unless it comes from a trusted flagger. */
  @IsInt() @Min(1) @Max(1_000_000) AUTO_ACTION_MAX_URLS = 100;
  /** A page-level takedown (a reported page stands for all its downloads) removing more than this always waits. */
  @IsInt() @Min(1) @Max(1_000_000) PAGE_TAKEDOWN_MAX_DOWNLOADS = 20;
  @IsInt() @Min(1) @Max(3600) SWEEP_EVERY_SECONDS = 30;
  @IsInt() @Min(1) @Max(5000) SWEEP_BATCH_SIZE = 500;
  /**
   * Cases of a batch one worker removes at once, each in its own transaction (and its own site calls): a case's
   * removal is a few dozen round trips, which several cases in flight overlap. Keep it under DATABASE_POOL_SIZE.
   */
  @IsInt() @Min(1) @Max(32) SWEEP_CONCURRENCY = 4;
  /**
   * How long a sweep holds the batch it claimed. A worker that dies mid-batch holds its rows this long, then another
   * takes them up; a live one hands back what it has not reached by half of it.
   */
  @IsInt() @Min(2) @Max(3600) SWEEP_LEASE_SECONDS = 5 * 60;
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
    autoAction: {
      standings: env.AUTO_ACTION_STANDINGS.split(',').map((s) => s.trim()) as SenderStanding[],
      maxUrls: env.AUTO_ACTION_MAX_URLS,
      pageMaxDownloads: env.PAGE_TAKEDOWN_MAX_DOWNLOADS,
    },
    sweepEverySeconds: env.SWEEP_EVERY_SECONDS,
    sweepBatchSize: env.SWEEP_BATCH_SIZE,
    sweepConcurrency: env.SWEEP_CONCURRENCY,
    sweepLeaseSeconds: env.SWEEP_LEASE_SECONDS,
    siteAdapter: env.SITE_ADAPTER as 'catalog' | 'webhook',
    webhook: { url: env.SITE_WEBHOOK_URL ?? '', secret: env.SITE_WEBHOOK_SECRET ?? '' },
  };
});
export type TakedownConfig = ReturnType<typeof takedownConfig>;
