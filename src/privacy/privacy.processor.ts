import { Processor, WorkerHost } from '@nestjs/bullmq';
import { Inject } from '@nestjs/common';
import { Job, UnrecoverableError } from 'bullmq';
import { CLOCK, type Clock } from '../core/clock';
import { JOB_RETRY, type JobItem, JobName, QueueName } from '../core/queue/jobs';
import { PrivacyMailService } from './privacy-mail.service';
import { RetentionService } from './retention.service';

type PrivacyJob = Extract<JobItem, { queue: QueueName.Privacy }>;

/** Who the nightly run acts as, in the audit log and retention_runs. */
export const RETENTION_ACTOR = 'system';

/**
 * The privacy queue's one processor: the nightly retention run (which takes its own lock, so two never overlap) and
 * the mails about privacy requests.
 */
@Processor(QueueName.Privacy, { concurrency: 2 })
export class PrivacyProcessor extends WorkerHost {
  constructor(
    private readonly retention: RetentionService,
    private readonly mail: PrivacyMailService,
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
      case JobName.SendPrivacyMail: {
        const lastTry = job.attemptsMade + 1 >= (job.opts.attempts ?? JOB_RETRY.attempts);
        const result = await this.mail.send(item.data, { lastTry });
        // The outcome is recorded in the request's event log by now; these throws only tell BullMQ whether to retry.
        if (result.outcome === 'failed') throw new UnrecoverableError(result.reason);
        if (result.outcome === 'retry') throw new Error(result.reason);
        return;
      }
      default:
        throw new UnrecoverableError(`Unknown job ${job.name} on queue ${QueueName.Privacy}`);
    }
  }
}
