import { Controller, Get, Inject, Redirect, Res } from '@nestjs/common';
import type { Response } from 'express';
import { DataSource } from 'typeorm';
import { redisConfig, type RedisConfig } from '../config';
import { probeRedis } from '../queue/redis-probe';
import { DATABASE_RETRY_AFTER_SECONDS } from './database-unavailable';

type Up = 'up' | 'down';

export interface HealthView {
  /** ok: all up; degraded: Postgres up, Redis down (notices are still accepted); down: Postgres down. */
  status: 'ok' | 'degraded' | 'down';
  postgres: Up;
  redis: Up;
}

@Controller()
export class HealthController {
  constructor(
    private readonly dataSource: DataSource,
    @Inject(redisConfig.KEY) private readonly redis: RedisConfig,
  ) {}

  /**
   * 200 when Postgres and Redis answer, 503 naming what is down otherwise. The API itself needs only Postgres: with
   * Redis down it still accepts notices (their jobs wait in the outbox), so `redis: 'down'` says the worker's queue
   * is unreachable, not that intake is. Probes that decide whether to route traffic may treat `degraded` as ready.
   */
  @Get('health')
  async health(@Res({ passthrough: true }) res: Response): Promise<HealthView> {
    const [postgres, redis] = await Promise.all([this.pingPostgres(), pingRedis(this.redis.url)]);
    const status = postgres === 'down' ? 'down' : redis === 'down' ? 'degraded' : 'ok';
    if (status !== 'ok') res.status(503);
    if (status === 'down') res.setHeader('Retry-After', String(DATABASE_RETRY_AFTER_SECONDS));
    return { status, postgres, redis };
  }

  @Get()
  @Redirect('/notices/new', 302)
  home(): void {}

  private async pingPostgres(): Promise<Up> {
    try {
      await this.dataSource.query('SELECT 1');
      return 'up';
    } catch {
      return 'down';
    }
  }
}

/** A short-lived connection per check: about a second to connect, one retry, then Redis counts as down. */
async function pingRedis(url: string): Promise<Up> {
  const pong = await probeRedis(url, { timeoutMs: 1_000, retries: 1 }, (client) => client.ping()).catch(
    () => undefined,
  );
  return pong === 'PONG' ? 'up' : 'down';
}
