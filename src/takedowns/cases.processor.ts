import { Processor, WorkerHost } from '@nestjs/bullmq';
import { Job, UnrecoverableError } from 'bullmq';
import { JobItem, JobName, QueueName } from '../core/queue/jobs';
import { CaseRouterService } from './case-router.service';

type CasesJob = Extract<JobItem, { queue: QueueName.Cases }>;

@Processor(QueueName.Cases, { concurrency: 4 })
export class CasesProcessor extends WorkerHost {
  constructor(private readonly router: CaseRouterService) {
    super();
  }

  async process(job: Job<CasesJob['data'], void, string>): Promise<void> {
    // BullMQ types name and data apart; rejoin them into the union so the switch is exhaustive.
    const item = { name: job.name, data: job.data } as CasesJob;
    switch (item.name) {
      case JobName.RouteCase:
        return this.router.route(item.data.caseId);
      case JobName.ApplyApproval:
        return this.router.applyApproval(item.data.caseId, item.data.approval);
      default:
        throw new UnrecoverableError(`Unknown job ${job.name} on queue ${QueueName.Cases}`);
    }
  }
}
