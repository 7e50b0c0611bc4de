import {
  type BeforeApplicationShutdown,
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
} from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { type HealthConfig, healthConfig } from '../config';
import { messageOf } from '../error-message';
import { WorkerHeartbeatsRepository } from './worker-heartbeats.repository';

/**
 * The worker's heartbeat: a row of its own in worker_heartbeats, written at start and every WORKER_HEARTBEAT_SECONDS,
 * deleted when the worker shuts down. A beat that fails (Postgres away) is logged once until one succeeds again.
 */
@Injectable()
export class WorkerHeartbeatService implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(WorkerHeartbeatService.name);
  readonly worker = {
    id: `${hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`,
    hostname: hostname(),
    pid: process.pid,
  };
  private timer: NodeJS.Timeout | undefined;
  private beating: Promise<void> | undefined;
  private failing = false;

  constructor(
    private readonly heartbeats: WorkerHeartbeatsRepository,
    @Inject(healthConfig.KEY) private readonly config: HealthConfig,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.beat();
    this.timer = setInterval(() => void this.beat(), this.config.heartbeatSeconds * 1000);
    this.timer.unref();
  }

  async beforeApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    await this.beating;
    await this.heartbeats.remove(this.worker.id).catch(() => undefined);
  }

  /** One beat at a time: while Postgres is slow to answer, the next tick joins the beat in flight. */
  private beat(): Promise<void> {
    this.beating ??= this.heartbeats
      .beat(this.worker)
      .then(
        () => {
          if (this.failing) this.logger.log(`Heartbeat of worker ${this.worker.id} written again`);
          this.failing = false;
        },
        (error: unknown) => {
          if (!this.failing) this.logger.warn(`Heartbeat of worker ${this.worker.id} not written: ${messageOf(error)}`);
          this.failing = true;
        },
      )
      .finally(() => (this.beating = undefined));
    return this.beating;
  }
}
