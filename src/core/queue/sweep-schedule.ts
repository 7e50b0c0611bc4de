import type { Queue } from 'bullmq';
import { JobName, SWEEP_SCHEDULER_ID } from './jobs';

/**
 * Puts the sweep's BullMQ job scheduler in place on the takedowns queue, every `everySeconds`. Idempotent: every
 * worker calls it, and BullMQ makes one job per interval however many do; it also puts back the schedule's next job
 * should Redis have lost it.
 */
export function upsertSweepScheduler(takedowns: Queue, everySeconds: number): Promise<unknown> {
  return takedowns.upsertJobScheduler(
    SWEEP_SCHEDULER_ID,
    { every: everySeconds * 1000 },
    { name: JobName.SweepDueTakedowns, data: {}, opts: { removeOnComplete: true, removeOnFail: 100 } },
  );
}
