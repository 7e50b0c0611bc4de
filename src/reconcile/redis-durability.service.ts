import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { redisConfig, type RedisConfig } from '../core/config';
import { messageOf } from '../core/error-message';
import { probeRedis } from '../core/queue/redis-probe';

/** What BullMQ asks of its Redis: keep the data across a restart, and never evict a key to make room. */
export const REDIS_DURABLE_SETTINGS = { appendonly: 'yes', 'maxmemory-policy': 'noeviction' } as const;

const RETRY_MS = 30_000;

/** Which of BullMQ's settings a Redis does not have, as messages naming the setting; `settings` is CONFIG GET's answer. */
export function durabilityWarnings(settings: Record<string, string | undefined>): string[] {
  return Object.entries(REDIS_DURABLE_SETTINGS)
    .filter(([name, wanted]) => settings[name] !== wanted)
    .map(
      ([name, wanted]) =>
        `Redis has ${name} ${settings[name] ?? '(unset)'}; BullMQ needs ${name} ${wanted}, or jobs can be lost ` +
        `(the reconciler puts back what Postgres says is owed, after RECONCILE_GRACE_SECONDS)`,
    );
}

/**
 * Looks at the worker's Redis once at start and warns when it is not set up as BullMQ asks (append-only file on,
 * maxmemory-policy noeviction). A managed Redis may refuse CONFIG GET: that is said once, and the worker goes on.
 * While Redis cannot be reached it looks again later, until it has had an answer.
 */
@Injectable()
export class RedisDurabilityService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(RedisDurabilityService.name);
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;

  constructor(@Inject(redisConfig.KEY) private readonly redis: RedisConfig) {}

  onApplicationBootstrap(): void {
    void this.checkUntilAnswered();
  }

  onApplicationShutdown(): void {
    this.stopped = true;
    clearTimeout(this.timer);
  }

  /**
   * Asks Redis for its settings and logs a warning for each one amiss: the warnings, or undefined when Redis could
   * not be reached (a refused CONFIG GET is an answer, and gives one warning saying so).
   */
  async check(): Promise<string[] | undefined> {
    const warnings = await probeRedis(this.redis.url, { timeoutMs: 2_000, retries: 0 }, async (client) => {
      try {
        const answer = (await client.call('CONFIG', 'GET', 'appendonly', 'maxmemory-policy')) as string[];
        const settings: Record<string, string> = {};
        for (let i = 0; i + 1 < answer.length; i += 2) settings[answer[i]] = answer[i + 1];
        return durabilityWarnings(settings);
      } catch (error) {
        return [
          `Redis refused CONFIG GET (${messageOf(error)}), so its persistence cannot be checked: make sure it ` +
            `keeps an append-only file and uses maxmemory-policy noeviction`,
        ];
      }
    });
    for (const warning of warnings ?? []) this.logger.warn(warning);
    return warnings;
  }

  private async checkUntilAnswered(): Promise<void> {
    if (this.stopped) return;
    const answered = await this.check().catch(() => undefined);
    if (answered === undefined && !this.stopped) {
      this.timer = setTimeout(() => void this.checkUntilAnswered(), RETRY_MS);
    }
  }
}
