import { Processor, WorkerHost } from '@nestjs/bullmq';
import { Job, UnrecoverableError } from 'bullmq';
import { JobItem, JobName, QueueName } from '../core/queue/jobs';
import { CounterNoticeRestorer } from './counter-notice-restorer';
import { RestoreService } from './restore.service';
import { TakedownSweepService } from './takedown-sweep.service';

type TakedownsJob = Extract<JobItem, { queue: QueueName.Takedowns }>;

@Processor(QueueName.Takedowns, { concurrency: 2 })
export class TakedownsProcessor extends WorkerHost {
  constructor(
    private readonly sweep: TakedownSweepService,
    private readonly restore: RestoreService,
    private readonly counterNotices: CounterNoticeRestorer,
  ) {
    super();
  }

  async process(job: Job<TakedownsJob['data'], void, string>): Promise<void> {
    // BullMQ types name and data apart; rejoin them into the union so the switch is exhaustive.
    const item = { name: job.name, data: job.data } as TakedownsJob;
    switch (item.name) {
      case JobName.SweepDueTakedowns:
        await this.sweep.sweep();
        await this.counterNotices.restoreDue();
        return;
      case JobName.RestoreLinks:
        return this.restore.restore(item.data.caseId, item.data.restoration);
      default:
        throw new UnrecoverableError(`Unknown job ${job.name} on queue ${QueueName.Takedowns}`);
    }
  }
}
