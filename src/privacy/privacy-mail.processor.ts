import { Processor, WorkerHost } from '@nestjs/bullmq';
import { Job, UnrecoverableError } from 'bullmq';
import { JOB_RETRY, JobItem, JobName, QueueName } from '../core/queue/jobs';
import { PrivacyMailService } from './privacy-mail.service';

type PrivacyJob = Extract<JobItem, { queue: QueueName.Privacy }>;

@Processor(QueueName.Privacy, { concurrency: 2 })
export class PrivacyMailProcessor extends WorkerHost {
  constructor(private readonly mail: PrivacyMailService) {
    super();
  }

  async process(job: Job<PrivacyJob['data'], void, string>): Promise<void> {
    // BullMQ types name and data apart; rejoin them into the union so the switch is exhaustive.
    const item = { name: job.name, data: job.data } as PrivacyJob;
    switch (item.name) {
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
