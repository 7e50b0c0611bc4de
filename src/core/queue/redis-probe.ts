import { Redis } from 'ioredis';
import { redisOptionsFromUrl } from './redis-options';

export interface RedisProbeOptions {
  /** How long to wait for the connection, and then for each command. */
  timeoutMs: number;
  /** Reconnection attempts (100 ms apart) before Redis counts as unreachable. */
  retries: number;
}

/**
 * Runs `use` on a short-lived connection of its own, for a one-off look at Redis (health, its settings) that must
 * give up quickly rather than queue commands while Redis is away. Resolves undefined when Redis cannot be reached;
 * what `use` throws (a refused command) is thrown. The connection is closed either way.
 */
export async function probeRedis<T>(
  url: string,
  { timeoutMs, retries }: RedisProbeOptions,
  use: (client: Redis) => Promise<T>,
): Promise<T | undefined> {
  const client = new Redis({
    ...redisOptionsFromUrl(url),
    lazyConnect: true,
    connectTimeout: timeoutMs,
    commandTimeout: timeoutMs,
    maxRetriesPerRequest: retries,
    enableOfflineQueue: false,
    retryStrategy: (times) => (times > retries ? null : 100),
  });
  client.on('error', () => undefined); // the caller hears of it as undefined or a thrown error, not as an event
  try {
    try {
      await client.connect();
    } catch {
      return undefined;
    }
    return await use(client);
  } finally {
    client.disconnect();
  }
}
