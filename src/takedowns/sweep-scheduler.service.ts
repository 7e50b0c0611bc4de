import { InjectQueue } from '@nestjs/bullmq';
import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { Queue } from 'bullmq';
import { type TakedownConfig, takedownConfig } from '../core/config';
import { QueueName } from '../core/queue/jobs';
import { upsertSweepScheduler } from '../core/queue/sweep-schedule';

const RECHECK_MS = 60_000;

/**
 * Keeps the sweep's BullMQ job scheduler in place. Upserting is idempotent, so every worker does it at start,
 * and again every minute in case Redis lost its data; BullMQ makes one job per interval however many workers run.
 */
@Injectable()
export class SweepSchedulerService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(SweepSchedulerService.name);
  private timer: NodeJS.Timeout | undefined;

  constructor(
    @InjectQueue(QueueName.Takedowns) private readonly queue: Queue,
    @Inject(takedownConfig.KEY) private readonly config: TakedownConfig,
  ) {}

  onApplicationBootstrap(): void {
    void this.upsert();
    this.timer = setInterval(() => void this.upsert(), RECHECK_MS);
  }

  onApplicationShutdown(): void {
    clearInterval(this.timer);
  }

  private async upsert(): Promise<void> {
    try {
      await upsertSweepScheduler(this.queue, this.config.sweepEverySeconds);
    } catch (error) {
      this.logger.warn(
        `Could not register the sweep schedule yet: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
  }
}
