import { Controller, Get, Redirect, Res } from '@nestjs/common';
import type { Response } from 'express';
import { HealthService, type HealthView } from '../health/health.service';
import { DATABASE_RETRY_AFTER_SECONDS } from './database-unavailable';

@Controller()
export class HealthController {
  constructor(private readonly health: HealthService) {}

  /**
   * 200 when Postgres, Redis and the SMTP server answer and a worker has been heard from within
   * WORKER_HEARTBEAT_STALE_SECONDS; 503 naming what is not, otherwise. `degraded` (Postgres up) still takes notices:
   * their work waits in the outbox. Probes that decide whether to route traffic may treat it as ready; `down` (with
   * Retry-After) may not.
   */
  @Get('health')
  async check(@Res({ passthrough: true }) res: Response): Promise<HealthView> {
    const view = await this.health.check();
    if (view.status !== 'ok') res.status(503);
    if (view.status === 'down') res.setHeader('Retry-After', String(DATABASE_RETRY_AFTER_SECONDS));
    return view;
  }

  /** The process answers HTTP: nothing else is asked, for a liveness probe that must not restart it for Postgres. */
  @Get('health/live')
  live(): { status: 'ok' } {
    return { status: 'ok' };
  }

  @Get()
  @Redirect('/notices/new', 302)
  home(): void {}
}
