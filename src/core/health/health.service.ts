import { Inject, Injectable, type OnApplicationShutdown, ServiceUnavailableException } from '@nestjs/common';
import {
  type HealthCheckResult,
  HealthCheckService,
  type HealthIndicatorResult,
  HealthIndicatorService,
  TypeOrmHealthIndicator,
} from '@nestjs/terminus';
import { Redis } from 'ioredis';
import { DataSource } from 'typeorm';
import { type HealthConfig, healthConfig, redisConfig, type RedisConfig } from '../config';
import { messageOf } from '../error-message';
import { SmtpProbe } from '../mail/smtp-probe';
import { redisOptionsFromUrl } from '../queue/redis-options';
import { whenReady } from '../queue/redis-ready';
import { WorkerHeartbeatsRepository } from './worker-heartbeats.repository';

type Up = 'up' | 'down';

/** Each part /health looks at, in the order it lists them. */
export const HEALTH_CHECKS = ['postgres', 'redis', 'smtp', 'workers', 'outbox'] as const;
export type HealthCheckName = (typeof HEALTH_CHECKS)[number];

export type HealthStatus = 'ok' | 'degraded' | 'down' | 'shutting_down';

export type HealthView = {
  /**
   * ok: every part up. down: Postgres is, and nothing can be taken. degraded: Postgres up (notices are accepted) and
   * another part down: Redis, the SMTP server, or no worker heard from. shutting_down: the process is stopping.
   */
  status: HealthStatus;
  /** What terminus found of each part: its status, how long the check took, and what it saw. */
  details: HealthIndicatorResult;
} & Record<HealthCheckName, Up>;

const POSTGRES_TIMEOUT_MS = 1_500;
const SMTP_TIMEOUT_MS = 2_000;
/** The SMTP answer is kept this long: a probe every second must not open a connection to the relay each time. */
const SMTP_CACHE_MS = 5_000;
const REDIS_TIMEOUT_MS = 1_000;
/** While Redis is away, the kept connection tries again this often, so that /health sees it back within a second. */
const REDIS_RECONNECT_MS = 500;

/**
 * /health through @nestjs/terminus: Postgres (terminus's TypeORM ping), and indicators of our own for Redis (a PING
 * on a connection of the check's own, kept open: a probe a second must not make a TCP connection each time), the SMTP server (a verify, cached a few seconds), worker heartbeats (worker_heartbeats,
 * down when none is fresher than WORKER_HEARTBEAT_STALE_SECONDS) and the outbox (the age of its oldest row waiting,
 * reported, never down while it can be read).
 */
@Injectable()
export class HealthService implements OnApplicationShutdown {
  private redisClient: Redis | undefined;

  constructor(
    private readonly health: HealthCheckService,
    private readonly indicator: HealthIndicatorService,
    private readonly typeorm: TypeOrmHealthIndicator,
    private readonly dataSource: DataSource,
    private readonly smtp: SmtpProbe,
    private readonly heartbeats: WorkerHeartbeatsRepository,
    @Inject(redisConfig.KEY) private readonly redis: RedisConfig,
    @Inject(healthConfig.KEY) private readonly config: HealthConfig,
  ) {}

  async check(): Promise<HealthView> {
    const result = await this.health
      .check([
        () => this.typeorm.pingCheck('postgres', { connection: this.dataSource }).withTimeout(POSTGRES_TIMEOUT_MS),
        () => this.redisCheck(),
        () => this.smtpCheck(),
        () => this.workersCheck(),
        () => this.outboxCheck(),
      ])
      .catch((error: unknown) => {
        // terminus answers a failed check by throwing its result as a 503; the result is all we need of it.
        if (error instanceof ServiceUnavailableException) return error.getResponse() as HealthCheckResult;
        throw error;
      });
    const details = result.details;
    const parts = Object.fromEntries(
      HEALTH_CHECKS.map((name) => [name, details[name]?.status === 'up' ? 'up' : 'down']),
    ) as Record<HealthCheckName, Up>;
    const status: HealthStatus =
      result.status === 'shutting_down'
        ? 'shutting_down'
        : parts.postgres === 'down'
          ? 'down'
          : HEALTH_CHECKS.some((name) => parts[name] === 'down')
            ? 'degraded'
            : 'ok';
    return { status, ...parts, details };
  }

  onApplicationShutdown(): void {
    this.redisClient?.disconnect();
  }

  private redisCheck() {
    return this.indicator.check('redis').attempt(async () => {
      const pong = await (await this.redisConnection()).ping();
      if (pong !== 'PONG') throw new Error('Redis did not answer');
    });
  }

  /**
   * The kept connection, once ready. Commands are never queued while it is away (the PING fails at once, and Redis
   * reads down); a connection being made, the first after boot or a retry after Redis went away, is waited for briefly.
   */
  private async redisConnection(): Promise<Redis> {
    const client = (this.redisClient ??= new Redis({
      ...redisOptionsFromUrl(this.redis.url),
      connectTimeout: REDIS_TIMEOUT_MS,
      commandTimeout: REDIS_TIMEOUT_MS,
      maxRetriesPerRequest: 0,
      enableOfflineQueue: false,
      retryStrategy: () => REDIS_RECONNECT_MS,
    }).on('error', () => undefined)); // heard of as a failed PING, not as an event
    if (client.status === 'ready') return client;
    // Away and waiting to try again: down now, not after a wait.
    if (client.status === 'reconnecting' || client.status === 'end' || client.status === 'close')
      throw new Error(`Redis not connected (${client.status})`);
    await whenReady(client, REDIS_TIMEOUT_MS);
    return client;
  }

  private smtpCheck() {
    return this.indicator
      .check('smtp')
      .attempt(() => this.smtp.verify(SMTP_TIMEOUT_MS))
      .withTimeout(SMTP_TIMEOUT_MS + 500)
      .cacheFor(SMTP_CACHE_MS);
  }

  private async workersCheck() {
    const session = this.indicator.check('workers');
    const staleAfterSeconds = this.config.staleSeconds;
    try {
      const seen = await this.heartbeats.seen();
      const fresh = seen.filter((w) => w.ageSeconds <= staleAfterSeconds).length;
      return fresh > 0
        ? session.up({ fresh, staleAfterSeconds, seen })
        : session.down({ message: `No worker heard from in ${staleAfterSeconds} s`, fresh, staleAfterSeconds, seen });
    } catch (error) {
      return session.down({ message: messageOf(error), staleAfterSeconds });
    }
  }

  /** The oldest row by id is the oldest by time, and the partial index on waiting rows finds it at once. */
  private outboxCheck() {
    return this.indicator.check('outbox').attempt(async () => {
      const [row] = await this.dataSource.query<{ age: number }[]>(
        `SELECT greatest(0, extract(epoch FROM now() - created_at))::float8 AS age
         FROM outbox WHERE dispatched_at IS NULL ORDER BY id LIMIT 1`,
      );
      return { oldestWaitingSeconds: row ? Math.round(row.age * 10) / 10 : 0 };
    });
  }
}
