import { Processor, WorkerHost } from '@nestjs/bullmq';
import { Job, UnrecoverableError } from 'bullmq';
import { JobItem, JobName, QueueName } from '../core/queue/jobs';
import { InboundParserService } from './inbound-parser.service';

type InboundJob = Extract<JobItem, { queue: QueueName.Inbound }>;

@Processor(QueueName.Inbound, { concurrency: 2 })
export class InboundProcessor extends WorkerHost {
  constructor(private readonly parser: InboundParserService) {
    super();
  }

  async process(job: Job<InboundJob['data'], void, string>): Promise<void> {
    // BullMQ types name and data apart; rejoin them into the union so the switch is exhaustive.
    const item = { name: job.name, data: job.data } as InboundJob;
    switch (item.name) {
      case JobName.ParseInbound:
        return this.parser.parse(item.data.inboundId);
      default:
        throw new UnrecoverableError(`Unknown job ${job.name} on queue ${QueueName.Inbound}`);
    }
  }
}
