/** Every queue and job of the system, with each job's payload in one place. Payloads carry ids only. */
export enum QueueName {
  Cases = 'cases',
  Takedowns = 'takedowns',
  /** Outbound letters, one job per letter. */
  Mail = 'mail',
  /** Inbound email stored raw, parsed into notices by the worker. */
  Inbound = 'inbound',
  /** Personal data: the nightly retention run, and mail about requests from the people the data is about. */
  Privacy = 'privacy',
}

export enum JobName {
  /** Turn a newly recorded case into takedowns, referrals and letters. */
  RouteCase = 'route-case',
  /** Act on links staff approved: takedowns due now, referrals, then a sweep. */
  ApplyApproval = 'apply-approval',
  /** Remove the links whose takedowns have fallen due. */
  SweepDueTakedowns = 'sweep-due-takedowns',
  /** Put back what was removed for links staff restored. */
  RestoreLinks = 'restore-links',
  /** Send one recorded letter through SMTP, once. */
  SendLetter = 'send-letter',
  /** Parse one stored inbound message into a notice, a reply to a case, or quarantine. */
  ParseInbound = 'parse-inbound',
  /** Remove what the retention schedule says is due (privacy/retention.ts); its job scheduler fires it nightly. */
  ApplyRetention = 'apply-retention',
  /** Render and send one mail about a privacy request, from the request's row at send time. */
  SendPrivacyMail = 'send-privacy-mail',
}

/** The mails of a privacy request: the confirmation link, the access export's link, the outcome. */
export type PrivacyMailKind = 'confirm' | 'export' | 'outcome';

export type JobItem =
  /** revision: routes the case again after a reply revised its notice (absent for the first routing). */
  | { queue: QueueName.Cases; name: JobName.RouteCase; data: { caseId: string; revision?: number } }
  /** approval: the audit event that recorded the staff approval. */
  | { queue: QueueName.Cases; name: JobName.ApplyApproval; data: { caseId: string; approval: string } }
  /**
   * caseId: swept right after that case was routed or approved (after: the approval); absent when the scheduler
   * fires.
   */
  | { queue: QueueName.Takedowns; name: JobName.SweepDueTakedowns; data: { caseId?: string; after?: string } }
  /** restoration: the audit event that recorded the staff decision. */
  | { queue: QueueName.Takedowns; name: JobName.RestoreLinks; data: { caseId: string; restoration: string } }
  | { queue: QueueName.Mail; name: JobName.SendLetter; data: { letterId: string } }
  | { queue: QueueName.Inbound; name: JobName.ParseInbound; data: { inboundId: string } }
  | { queue: QueueName.Privacy; name: JobName.ApplyRetention; data: Record<string, never> }
  /** event: the request's event that queued the mail, so that a second mail of one kind is a job of its own. */
  | {
      queue: QueueName.Privacy;
      name: JobName.SendPrivacyMail;
      data: { requestId: string; mail: PrivacyMailKind; event: string };
    };

export type JobData<N extends JobName> = Extract<JobItem, { name: N }>['data'];

/** Deterministic ids, so that a replayed outbox row or a second producer never makes a second job. */
export function jobIdFor(item: JobItem): string {
  switch (item.name) {
    case JobName.RouteCase:
      return item.data.revision
        ? `route-case.${item.data.caseId}.r${item.data.revision}`
        : `route-case.${item.data.caseId}`;
    case JobName.ApplyApproval:
      return `apply-approval.${item.data.caseId}.${item.data.approval}`;
    case JobName.SweepDueTakedowns:
      return `sweep-after.${item.data.caseId ?? 'none'}${item.data.after ? `.${item.data.after}` : ''}`;
    case JobName.RestoreLinks:
      return `restore-links.${item.data.caseId}.${item.data.restoration}`;
    case JobName.SendLetter:
      return `send-letter.${item.data.letterId}`;
    case JobName.ParseInbound:
      return `parse-inbound.${item.data.inboundId}`;
    case JobName.ApplyRetention:
      return 'apply-retention';
    case JobName.SendPrivacyMail:
      return `privacy-mail.${item.data.requestId}.${item.data.mail}.${item.data.event}`;
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
export const RETENTION_SCHEDULER_ID = 'apply-retention';
