import { Processor, WorkerHost } from '@nestjs/bullmq';
import { Job, UnrecoverableError } from 'bullmq';
import { JOB_RETRY, JobItem, JobName, QueueName } from '../core/queue/jobs';
import { LetterSenderService } from './letter-sender.service';

type MailJob = Extract<JobItem, { queue: QueueName.Mail }>;

@Processor(QueueName.Mail, { concurrency: 4 })
export class MailProcessor extends WorkerHost {
  constructor(private readonly sender: LetterSenderService) {
    super();
  }

  async process(job: Job<MailJob['data'], void, string>): Promise<void> {
    // BullMQ types name and data apart; rejoin them into the union so the switch is exhaustive.
    const item = { name: job.name, data: job.data } as MailJob;
    switch (item.name) {
      case JobName.SendLetter: {
        const lastTry = job.attemptsMade + 1 >= (job.opts.attempts ?? JOB_RETRY.attempts);
        const result = await this.sender.send(item.data.letterId, { lastTry });
        // Failures are recorded on the letter by now; these throws only tell BullMQ whether to try again.
        if (result.outcome === 'failed') throw new UnrecoverableError(result.reason);
        if (result.outcome === 'retry') throw new Error(result.reason);
        if (result.outcome === 'busy') throw new Error(`Letter ${item.data.letterId} is being sent by another worker`);
        return;
      }
      default:
        throw new UnrecoverableError(`Unknown job ${job.name} on queue ${QueueName.Mail}`);
    }
  }
}
