import { Processor, WorkerHost } from '@nestjs/bullmq';
import { Inject } from '@nestjs/common';
import { Job, UnrecoverableError } from 'bullmq';
import { CLOCK, type Clock } from '../core/clock';
import { type JobItem, JobName, QueueName } from '../core/queue/jobs';
import { RetentionService } from './retention.service';

type PrivacyJob = Extract<JobItem, { queue: QueueName.Privacy }>;

/** Who the nightly run acts as, in the audit log and retention_runs. */
export const RETENTION_ACTOR = 'system';

@Processor(QueueName.Privacy, { concurrency: 1 })
export class PrivacyProcessor extends WorkerHost {
  constructor(
    private readonly retention: RetentionService,
    @Inject(CLOCK) private readonly now: Clock,
  ) {
    super();
  }

  async process(job: Job<PrivacyJob['data'], void, string>): Promise<void> {
    // BullMQ types name and data apart; rejoin them into the union so the switch is exhaustive.
    const item = { name: job.name, data: job.data } as PrivacyJob;
    switch (item.name) {
      case JobName.ApplyRetention:
        await this.retention.apply(this.now(), RETENTION_ACTOR);
        return;
      default:
        throw new UnrecoverableError(`Unknown job ${job.name} on queue ${QueueName.Privacy}`);
    }
  }
}
