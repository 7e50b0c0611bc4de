import { Processor, WorkerHost } from '@nestjs/bullmq';
import { Inject, OnApplicationBootstrap } from '@nestjs/common';
import { Job, UnrecoverableError } from 'bullmq';
import { type MailConfig, mailConfig } from '../core/config';
import { JobItem, JobName, QueueName } from '../core/queue/jobs';
import { InboundParserService } from './inbound-parser.service';

type InboundJob = Extract<JobItem, { queue: QueueName.Inbound }>;

@Processor(QueueName.Inbound)
export class InboundProcessor extends WorkerHost implements OnApplicationBootstrap {
  constructor(
    private readonly parser: InboundParserService,
    @Inject(mailConfig.KEY) private readonly mail: MailConfig,
  ) {
    super();
  }

  /** The worker exists once the modules are initialised; its concurrency is a setting (INBOUND_PARSE_CONCURRENCY). */
  onApplicationBootstrap(): void {
    this.worker.concurrency = this.mail.parsing.concurrency;
  }

  async process(job: Job<InboundJob['data'], void, string>): Promise<void> {
    // BullMQ types name and data apart; rejoin them into the union so the switch is exhaustive.
    const item = { name: job.name, data: job.data } as InboundJob;
    switch (item.name) {
      case JobName.ParseInbound:
        try {
          return await this.parser.parse(item.data.inboundId);
        } catch (error) {
          // Out of retries: the message is quarantined with the error for staff, never left unparsed and unseen.
          if (job.attemptsMade + 1 < (job.opts.attempts ?? 1)) throw error;
          return this.parser.giveUp(item.data.inboundId, error);
        }
      default:
        throw new UnrecoverableError(`Unknown job ${job.name} on queue ${QueueName.Inbound}`);
    }
  }
}
