/** Every queue and job of the system, with each job's payload in one place. Payloads carry ids only. */
export enum QueueName {
  Cases = 'cases',
  Takedowns = 'takedowns',
}

export enum JobName {
  /** Turn a newly recorded case into takedowns, referrals and letters. */
  RouteCase = 'route-case',
  /** Remove the links whose takedowns have fallen due. */
  SweepDueTakedowns = 'sweep-due-takedowns',
}

export type JobItem =
  | { queue: QueueName.Cases; name: JobName.RouteCase; data: { caseId: string } }
  /** caseId: swept right after that case was routed; absent when the scheduler fires. */
  | { queue: QueueName.Takedowns; name: JobName.SweepDueTakedowns; data: { caseId?: string } };

export type JobData<N extends JobName> = Extract<JobItem, { name: N }>['data'];

/** Deterministic ids, so that a replayed outbox row or a second producer never makes a second job. */
export function jobIdFor(item: JobItem): string {
  switch (item.name) {
    case JobName.RouteCase:
      return `route-case.${item.data.caseId}`;
    case JobName.SweepDueTakedowns:
      return `sweep-after.${item.data.caseId ?? 'none'}`;
  }
}

/** Bounded retries with exponential backoff; failed jobs are kept for inspection. */
export const JOB_RETRY = {
  attempts: 8,
  backoff: { type: 'exponential' as const, delay: 2_000 },
  removeOnComplete: { age: 24 * 3600, count: 10_000 },
  removeOnFail: false,
};

export const SWEEP_SCHEDULER_ID = 'sweep-due-takedowns';
