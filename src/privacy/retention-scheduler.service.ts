import { InjectQueue } from '@nestjs/bullmq';
import { Inject, Injectable } from '@nestjs/common';
import { Queue } from 'bullmq';
import { type PrivacyConfig, privacyConfig } from '../core/config';
import { JobName, QueueName, RETENTION_SCHEDULER_ID } from '../core/queue/jobs';
import { ScheduleKeeper } from '../core/queue/schedule-keeper';

/**
 * Keeps the nightly retention run's job scheduler in place (RETENTION_CRON, UTC), as the sweep's is kept. The run
 * itself also takes a lock, should two ever overlap.
 */
@Injectable()
export class RetentionSchedulerService extends ScheduleKeeper {
  constructor(
    @InjectQueue(QueueName.Privacy) private readonly queue: Queue,
    @Inject(privacyConfig.KEY) private readonly config: PrivacyConfig,
  ) {
    super('the retention schedule');
  }

  protected register(): Promise<unknown> {
    return this.queue.upsertJobScheduler(
      RETENTION_SCHEDULER_ID,
      { pattern: this.config.retentionCron, tz: 'UTC' },
      { name: JobName.ApplyRetention, data: {}, opts: { removeOnComplete: true, removeOnFail: 100 } },
    );
  }
}
