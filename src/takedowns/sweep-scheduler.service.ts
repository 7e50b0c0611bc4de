import { InjectQueue } from '@nestjs/bullmq';
import { Inject, Injectable } from '@nestjs/common';
import { Queue } from 'bullmq';
import { type TakedownConfig, takedownConfig } from '../core/config';
import { QueueName } from '../core/queue/jobs';
import { ScheduleKeeper } from '../core/queue/schedule-keeper';
import { upsertSweepScheduler } from '../core/queue/sweep-schedule';

/** Keeps the sweep's job scheduler in place (every SWEEP_EVERY_SECONDS), on every worker. */
@Injectable()
export class SweepSchedulerService extends ScheduleKeeper {
  constructor(
    @InjectQueue(QueueName.Takedowns) private readonly queue: Queue,
    @Inject(takedownConfig.KEY) private readonly config: TakedownConfig,
  ) {
    super('the sweep schedule');
  }

  protected register(): Promise<unknown> {
    return upsertSweepScheduler(this.queue, this.config.sweepEverySeconds);
  }
}
