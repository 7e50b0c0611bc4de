import { Inject, Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { redisConfig, type RedisConfig } from '../config';
import { messageOf } from '../error-message';
import { withTimeout } from '../with-timeout';
import { QueueName } from './jobs';
import { redisOptionsFromUrl } from './redis-options';

/** The sets BullMQ keeps finished jobs in, each scored by the job's finishedOn (ms). */
const FINISHED = ['completed', 'failed'] as const;
/** How long one Redis call may take before the step gives up (and says so, rather than hang a run). */
const REDIS_TIMEOUT_MS = 10_000;

/**
 * The finished (completed and failed) jobs of every queue, for retention: counted, and removed with BullMQ's own
 * Queue.clean, by when they finished. Its own connection, opened on first use: the command line has no queues of
 * its own, and Redis may be away (then the answer is null and nothing is removed). BullMQ's removeOnComplete and
 * removeOnFail ages are applied lazily (only when a later job finishes), so they cannot say what a dry run would do.
 */
@Injectable()
export class FinishedJobs implements OnApplicationShutdown {
  private readonly logger = new Logger(FinishedJobs.name);
  private opened?: { connection: Redis; queues: Queue[] };

  constructor(@Inject(redisConfig.KEY) private readonly redis: RedisConfig) {}

  /** How many finished before `before`; null when Redis does not answer. */
  count(before: Date): Promise<number | null> {
    return this.sum('count', async (queue, connection) => {
      let n = 0;
      for (const state of FINISHED) n += await connection.zcount(queue.toKey(state), '-inf', before.getTime());
      return n;
    });
  }

  /** Removes those that finished before `before`: how many went; null when Redis does not answer. */
  remove(before: Date): Promise<number | null> {
    return this.sum('remove', async (queue) => {
      let n = 0;
      for (const state of FINISHED) {
        // clean() measures its grace back from its own clock: this grace puts the line at `before`.
        n += (await queue.clean(Date.now() - before.getTime(), 0, state)).length;
      }
      return n;
    });
  }

  async onApplicationShutdown(): Promise<void> {
    if (!this.opened) return;
    const { connection, queues } = this.opened;
    await Promise.allSettled(queues.map((q) => withTimeout(q.close(), REDIS_TIMEOUT_MS, 'Redis')));
    connection.disconnect();
  }

  private async sum(what: string, each: (queue: Queue, connection: Redis) => Promise<number>): Promise<number | null> {
    const { connection, queues } = this.open();
    try {
      let total = 0;
      for (const queue of queues) {
        await withTimeout(queue.waitUntilReady(), REDIS_TIMEOUT_MS, 'Redis');
        total += await withTimeout(each(queue, connection), REDIS_TIMEOUT_MS, 'Redis');
      }
      return total;
    } catch (error) {
      this.logger.warn(`Could not ${what} finished jobs: ${messageOf(error)}`);
      return null;
    }
  }

  private open(): { connection: Redis; queues: Queue[] } {
    if (this.opened) return this.opened;
    // No offline queue: while Redis is away a command fails at once instead of waiting (no BullMQ worker uses this).
    const connection = new Redis({
      ...redisOptionsFromUrl(this.redis.url),
      connectTimeout: 2_000,
      commandTimeout: REDIS_TIMEOUT_MS,
      enableOfflineQueue: false,
      maxRetriesPerRequest: 1,
      retryStrategy: (times) => Math.min(times * 200, 2_000),
    });
    connection.on('error', () => undefined); // told as a null answer, logged once per call
    const queues = Object.values(QueueName).map((name) => {
      const queue = new Queue(name, { prefix: this.redis.prefix, connection });
      queue.on('error', () => undefined);
      return queue;
    });
    this.opened = { connection, queues };
    return this.opened;
  }
}
