import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { ExpressAdapter } from '@bull-board/express';
import { HttpStatus, Inject, Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import { Queue } from 'bullmq';
import type { Express, NextFunction, Request, RequestHandler, Response } from 'express';
import { Redis } from 'ioredis';
import { redisConfig, type RedisConfig } from '../config';
import { QueueName } from '../queue/jobs';
import { redisOptionsFromUrl } from '../queue/redis-options';

/** The job states /metrics reports for each queue. */
export const DEPTH_STATES = ['waiting', 'active', 'delayed', 'failed'] as const;
export type DepthState = (typeof DEPTH_STATES)[number];
export type QueueDepths = Record<QueueName, Record<DepthState, number>>;

/** How long a dashboard call waits for Redis before answering 503. */
const DASHBOARD_REDIS_WAIT_MS = 1_000;

/**
 * Dashboard calls that could put an unchecked payload into a job (processors expect the typed payloads of jobs.ts),
 * or delete waiting work or the sweep's schedule without a trace. Retry, clean, promote and pause stay available.
 */
const REFUSED_ROUTES = new Set([
  'post /api/queues/:queueName/add',
  'patch /api/queues/:queueName/:jobId/update-data',
  'put /api/queues/:queueName/empty',
  'put /api/queues/:queueName/obliterate',
  'put /api/queues/:queueName/job-schedulers/:schedulerId/remove',
  'patch /api/queues/:queueName/job-schedulers/:schedulerId',
]);

/**
 * The API process's handles on the BullMQ queues, for the staff queue dashboard and the queue depths in /metrics.
 *
 * The API must start and take notices with Redis down, so nothing here touches Redis until the dashboard or a scrape
 * first asks. The queues share one connection that keeps reconnecting in the background (at most every 2 s, never a
 * tight loop) and fails commands at once while Redis is away instead of queueing them (no offline queue: safe here,
 * since no BullMQ worker uses this connection). Every caller waits for Redis for a bounded time only.
 */
@Injectable()
export class QueueDashboardService implements OnApplicationShutdown {
  private readonly logger = new Logger('QueueDashboard');
  private opened?: { connection: Redis; queues: Record<QueueName, Queue> };
  private board?: RequestHandler;
  private redisDown = false;

  constructor(@Inject(redisConfig.KEY) private readonly redis: RedisConfig) {}

  /**
   * Express handler for the Bull Board UI and its JSON API, to mount at `basePath` behind staff authentication.
   * Its API answers 503 when Redis cannot be reached within a second, rather than hanging.
   */
  handler(basePath: string): RequestHandler {
    return async (req: Request, res: Response, next: NextFunction): Promise<void> => {
      if (req.path.startsWith('/api/') && !(await this.redisReady(DASHBOARD_REDIS_WAIT_MS))) {
        const status = HttpStatus.SERVICE_UNAVAILABLE;
        res.status(status).json({
          statusCode: status,
          error: HttpStatus[status],
          message: 'Redis cannot be reached, so the queues cannot be read. Jobs wait in the outbox meanwhile.',
        });
        return;
      }
      this.board ??= this.createBoard(basePath);
      this.board(req, res, next);
    };
  }

  /** Each queue's waiting, active, delayed and failed counts; null when Redis does not answer within `timeoutMs`. */
  async depths(timeoutMs: number): Promise<QueueDepths | null> {
    const started = Date.now();
    if (!(await this.redisReady(timeoutMs))) return null;
    const { queues } = this.open();
    const read = Promise.all(
      Object.values(QueueName).map(async (name) => [name, await queues[name].getJobCounts(...DEPTH_STATES)] as const),
    );
    const counts = await within(read, timeoutMs - (Date.now() - started));
    if (!counts) return null;
    const depths = {} as QueueDepths;
    for (const [name, c] of counts) {
      depths[name] = { waiting: c.waiting ?? 0, active: c.active ?? 0, delayed: c.delayed ?? 0, failed: c.failed ?? 0 };
    }
    return depths;
  }

  async onApplicationShutdown(): Promise<void> {
    if (!this.opened) return;
    await Promise.all(Object.values(this.opened.queues).map((q) => q.close()));
    this.opened.connection.disconnect();
  }

  private createBoard(basePath: string): RequestHandler {
    const { queues } = this.open();
    const serverAdapter = new ExpressAdapter().setBasePath(basePath);
    createBullBoard({
      queues: Object.values(queues).map((queue) => new BullMQAdapter(queue)),
      serverAdapter,
      options: {
        uiConfig: { boardTitle: 'Takedown Desk', miscLinks: [{ text: 'Staff home', url: '/staff' }] },
        handlerHooks: {
          before: ({ method, route }) =>
            REFUSED_ROUTES.has(`${method} ${route}`)
              ? { allow: false, status: 403, message: 'Takedown Desk does not allow this from the dashboard.' }
              : undefined,
        },
      },
    });
    const board = serverAdapter.getRouter() as Express;
    board.disable('x-powered-by'); // an Express app of its own, which does not inherit the main app's setting
    return board;
  }

  private open(): { connection: Redis; queues: Record<QueueName, Queue> } {
    if (this.opened) return this.opened;
    const connection = new Redis({
      ...redisOptionsFromUrl(this.redis.url),
      connectTimeout: 1_000,
      commandTimeout: 5_000,
      enableOfflineQueue: false,
      maxRetriesPerRequest: 1,
      retryStrategy: (times) => Math.min(times * 200, 2_000),
    });
    connection.on('error', (error: Error) => {
      if (this.redisDown) return;
      this.redisDown = true;
      this.logger.warn(`Redis unreachable; the queue dashboard and queue metrics wait for it: ${error.message}`);
    });
    connection.on('ready', () => {
      if (this.redisDown) this.logger.log('Redis reachable again');
      this.redisDown = false;
    });
    const queues = {} as Record<QueueName, Queue>;
    for (const name of Object.values(QueueName)) {
      queues[name] = new Queue(name, { prefix: this.redis.prefix, connection });
      queues[name].on('error', () => undefined); // the connection's errors, logged above
    }
    this.opened = { connection, queues };
    return this.opened;
  }

  /** Whether the connection is ready, or becomes so within `timeoutMs`; false at once on a failed attempt. */
  private redisReady(timeoutMs: number): Promise<boolean> {
    const client = this.open().connection;
    if (client.status === 'ready') return Promise.resolve(true);
    return new Promise((resolve) => {
      const done = (ready: boolean): void => {
        clearTimeout(timer);
        client.off('ready', onReady);
        client.off('error', onError);
        resolve(ready);
      };
      const onReady = (): void => done(true);
      const onError = (): void => done(false);
      const timer = setTimeout(() => done(false), Math.max(timeoutMs, 0));
      client.once('ready', onReady);
      client.once('error', onError);
    });
  }
}

/** The promise's value, or undefined once `ms` have passed (a late rejection is then ignored). */
async function within<T>(promise: Promise<T>, ms: number): Promise<T | undefined> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<undefined>((resolve) => {
    timer = setTimeout(() => resolve(undefined), Math.max(ms, 0));
  });
  try {
    return await Promise.race([promise.catch(() => undefined), timeout]);
  } finally {
    clearTimeout(timer);
  }
}
