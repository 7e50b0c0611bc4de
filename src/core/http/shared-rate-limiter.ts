import { Inject, Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import { Redis } from 'ioredis';
import { createHash } from 'node:crypto';
import { type RedisConfig, redisConfig } from '../config';
import { redisOptionsFromUrl } from '../queue/redis-options';
import { whenReady } from '../queue/redis-ready';

/**
 * One atomic step of a fixed window: count the hit, start the window's clock on its first hit, and answer the count
 * and the milliseconds left. INCR and PEXPIRE in one script, so that two processes never both see a fresh window.
 */
const HIT = `
local n = redis.call('INCR', KEYS[1])
if n == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
local ttl = redis.call('PTTL', KEYS[1])
if ttl < 0 then redis.call('PEXPIRE', KEYS[1], ARGV[1]); ttl = tonumber(ARGV[1]) end
return {n, ttl}
`;

/** The connection, with HIT defined as a command of its own. */
type LimiterRedis = Redis & { rateHit(key: string, windowMs: number): Promise<[number, number]> };

/** How long a hit may wait for Redis before the limiter lets the request through. */
const COMMAND_TIMEOUT_MS = 250;
/** How long a hit waits for a connection still being made (the first after boot, or after Redis came back). */
const CONNECT_WAIT_MS = 1_000;

/**
 * A fixed-window rate limit per key, counted in Redis: every API process and every SMTP listener on the same Redis
 * shares the count. A fixed window is one key and one round trip per hit; its known fault (up to twice the limit
 * across a window's edge) does not matter for refusing floods. When Redis cannot answer the limiter fails open: a
 * notice is never refused because the counter is away (that is logged, at most once a minute).
 */
@Injectable()
export class SharedRateLimiter implements OnApplicationShutdown {
  private readonly logger = new Logger(SharedRateLimiter.name);
  private client: LimiterRedis | undefined;
  private lastWarning = 0;

  constructor(@Inject(redisConfig.KEY) private readonly redis: RedisConfig) {}

  /** Counts a hit on `key` in `namespace`; the seconds to wait when it is over `limit` a minute, else 0. */
  async hit(namespace: string, key: string, limit: number, windowMs = 60_000): Promise<number> {
    if (limit <= 0) return 0;
    try {
      const client = await this.ready();
      const [count, ttl] = await client.rateHit(
        // Keys are client addresses and mailboxes: personal data, kept in Redis only as a hash, for one window.
        `${this.redis.prefix}:rate:${namespace}:${createHash('sha256').update(key).digest('base64url')}`,
        windowMs,
      );
      return count > limit ? Math.max(1, Math.ceil(ttl / 1000)) : 0;
    } catch (error) {
      if (Date.now() - this.lastWarning > 60_000) {
        this.lastWarning = Date.now();
        this.logger.warn(`Rate limits are not applied while Redis does not answer: ${String(error)}`);
      }
      return 0;
    }
  }

  onApplicationShutdown(): void {
    this.client?.disconnect();
  }

  /** The connection, once ready: a first hit waits for it as long as a command may, then counts as Redis away. */
  private async ready(): Promise<LimiterRedis> {
    const client = this.connection();
    await whenReady(client, CONNECT_WAIT_MS);
    return client;
  }

  private connection(): LimiterRedis {
    if (this.client) return this.client;
    const client = new Redis({
      ...redisOptionsFromUrl(this.redis.url),
      // Fail fast, never queue: a request does not wait for a Redis that is away.
      enableOfflineQueue: false,
      commandTimeout: COMMAND_TIMEOUT_MS,
      maxRetriesPerRequest: 0,
      connectTimeout: 1_000,
      lazyConnect: false,
      // The hits of one request (its address and its sender), and of requests arriving together, go in one write.
      enableAutoPipelining: true,
    });
    client.on('error', () => undefined);
    // EVALSHA, by ioredis's script cache: the script's text crosses the wire once per connection, not on every hit.
    client.defineCommand('rateHit', { numberOfKeys: 1, lua: HIT });
    return (this.client = client as LimiterRedis);
  }
}
