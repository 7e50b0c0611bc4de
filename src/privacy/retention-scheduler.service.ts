import { InjectQueue } from '@nestjs/bullmq';
import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { Queue } from 'bullmq';
import { type PrivacyConfig, privacyConfig } from '../core/config';
import { messageOf } from '../core/error-message';
import { JobName, QueueName, RETENTION_SCHEDULER_ID } from '../core/queue/jobs';

const RECHECK_MS = 60_000;

/**
 * Keeps the nightly retention run's BullMQ job scheduler in place (RETENTION_CRON, UTC), as the sweep's is kept:
 * every worker upserts it at start and every minute, in case Redis lost it, and BullMQ makes one job per firing
 * however many workers run. The run itself also takes a lock, should two ever overlap.
 */
@Injectable()
export class RetentionSchedulerService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(RetentionSchedulerService.name);
  private timer: NodeJS.Timeout | undefined;

  constructor(
    @InjectQueue(QueueName.Privacy) private readonly queue: Queue,
    @Inject(privacyConfig.KEY) private readonly config: PrivacyConfig,
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
      await this.queue.upsertJobScheduler(
        RETENTION_SCHEDULER_ID,
        { pattern: this.config.retentionCron, tz: 'UTC' },
        { name: JobName.ApplyRetention, data: {}, opts: { removeOnComplete: true, removeOnFail: 100 } },
      );
    } catch (error) {
      this.logger.warn(`Could not register the retention schedule yet: ${messageOf(error)}`);
    }
  }
}
