import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { jobIdFor, JobItem, JobName, type PrivacyMailKind, QueueName } from '../core/queue/jobs';

/** Work the database says is owed: the job that does it, the row it is for (logged), and other ids it may run under. */
export interface OwedJob {
  item: JobItem;
  /**
   * The id of the row the work is for (a case, letter, inbound message, audit event or privacy request event): ids
   * only, never content.
   */
  ref: string;
  /** Ids under which a live job does the same work (every earlier routing of a case, when a revision is owed). */
  aliases: string[];
}

export interface OwedQuery {
  graceSeconds: number;
  /** Rows read per page. */
  limit: number;
  /** Where the page starts: the `next` of the page before (undefined: from the oldest owed row). */
  after?: string;
  /** Re-checks only these refs (after their job was found completed). */
  only?: string[];
}

/** One page of owed work, oldest first, and where the next page starts (undefined when this one was the last). */
export interface OwedPage {
  owed: OwedJob[];
  next: string | undefined;
}

/** Every kind of work the reconciler looks for, in the order a pass goes through them. */
export const RECONCILED_KINDS = [
  JobName.RouteCase,
  JobName.SendLetter,
  JobName.ParseInbound,
  JobName.ApplyApproval,
  JobName.RestoreLinks,
  JobName.SendPrivacyMail,
  JobName.SweepDueTakedowns,
] as const;
export type ReconciledKind = (typeof RECONCILED_KINDS)[number];
/** The kinds owed row by row, read in pages; the sweep is one job for every due takedown. */
export type PagedKind = Exclude<ReconciledKind, JobName.SweepDueTakedowns>;

/** The one ref of the sweep: it acts on every due takedown, so its schedule covers them all. */
export const DUE_TAKEDOWNS_REF = 'due-takedowns';

interface KeyedJob {
  job: OwedJob;
  /** The row's place in the page order (its keyset cursor). */
  key: string;
}

/**
 * The queries that say, from Postgres alone, which jobs should exist: each finds rows older than the grace whose
 * work is not done, by the marks the job's own handler leaves when it is (routed_at, a letter's status, the audit
 * event that closes an approval or a restoration). Each reads one page in a fixed order with a keyset cursor, so a
 * caller can go through every owed row however many stay owed (failed jobs left for staff, live ones). Rows whose job
 * still waits in the outbox are the relay's, not the reconciler's.
 */
@Injectable()
export class OwedWorkRepository {
  constructor(private readonly dataSource: DataSource) {}

  async find(kind: PagedKind, query: OwedQuery): Promise<OwedPage> {
    const rows = await this.query(kind, query);
    const next = rows.length === query.limit ? rows[rows.length - 1].key : undefined;
    return { owed: await this.notInOutbox(rows.map((r) => r.job)), next };
  }

  /** Whether takedowns have been due for longer than the grace with no sweep holding them. */
  async takedownsLeftUnswept(graceSeconds: number): Promise<boolean> {
    const [row] = await this.dataSource.query<{ due: boolean }[]>(
      `SELECT EXISTS (SELECT 1 FROM takedowns
                      WHERE status = 'pending' AND due_at < now() - make_interval(secs => $1)
                        AND (claimed_until IS NULL OR claimed_until < now())) AS due`,
      [graceSeconds],
    );
    return row?.due ?? false;
  }

  private query(kind: PagedKind, q: OwedQuery): Promise<KeyedJob[]> {
    switch (kind) {
      case JobName.RouteCase:
        return this.unroutedCases(q);
      case JobName.SendLetter:
        return this.unsentLetters(q);
      case JobName.ParseInbound:
        return this.unparsedInbound(q);
      case JobName.ApplyApproval:
        return this.unappliedApprovals(q);
      case JobName.RestoreLinks:
        return this.unappliedRestorations(q);
      case JobName.SendPrivacyMail:
        return this.unsentPrivacyMail(q);
    }
  }

  /**
   * Cases with no routing since they were recorded or a reply revised them, by last change. A revision's routing runs
   * under the revision's id (the case's notice count); a live job of any earlier routing does the same work.
   */
  private async unroutedCases({ graceSeconds, limit, after, only }: OwedQuery): Promise<KeyedJob[]> {
    const rows = await this.dataSource.query<{ id: string; notices: number; key: string }[]>(
      `SELECT c.id, (SELECT count(*)::int FROM notices n WHERE n.case_id = c.id) AS notices,
              c.updated_at::text || '|' || c.id AS key
       FROM cases c
       WHERE c.routed_at IS NULL AND c.updated_at < now() - make_interval(secs => $1)
         AND ($3::uuid[] IS NULL OR c.id = ANY($3::uuid[]))
         AND ($4::text IS NULL
              OR (c.updated_at, c.id) > (split_part($4, '|', 1)::timestamptz, split_part($4, '|', 2)::uuid))
       ORDER BY c.updated_at, c.id LIMIT $2`,
      [graceSeconds, limit, only ?? null, after ?? null],
    );
    return rows.map((r) => {
      const route = (revision?: number): JobItem => ({
        queue: QueueName.Cases,
        name: JobName.RouteCase,
        data: revision ? { caseId: r.id, revision } : { caseId: r.id },
      });
      if (r.notices <= 1) return { job: { item: route(), ref: r.id, aliases: [] }, key: r.key };
      const earlier = [route(), ...Array.from({ length: r.notices - 2 }, (_, i) => route(i + 2))];
      return { job: { item: route(r.notices), ref: r.id, aliases: earlier.map(jobIdFor) }, key: r.key };
    });
  }

  /**
   * Letters recorded to be sent and neither sent nor failed, that no sender holds. A letter held by the per-recipient
   * cap (held_until) waits on purpose: it is owed a send only from its held_until on.
   */
  private async unsentLetters({ graceSeconds, limit, after, only }: OwedQuery): Promise<KeyedJob[]> {
    const rows = await this.dataSource.query<{ id: string; key: string }[]>(
      `SELECT id, created_at::text || '|' || id AS key FROM letters
       WHERE status = 'queued' AND recipient IS NOT NULL
         AND (claimed_until IS NULL OR claimed_until < now())
         AND created_at < now() - make_interval(secs => $1)
         AND (held_until IS NULL OR held_until < now() - make_interval(secs => $1))
         AND ($3::uuid[] IS NULL OR id = ANY($3::uuid[]))
         AND ($4::text IS NULL
              OR (created_at, id) > (split_part($4, '|', 1)::timestamptz, split_part($4, '|', 2)::uuid))
       ORDER BY created_at, id LIMIT $2`,
      [graceSeconds, limit, only ?? null, after ?? null],
    );
    return rows.map((r) => ({
      job: {
        item: { queue: QueueName.Mail, name: JobName.SendLetter, data: { letterId: r.id } },
        ref: r.id,
        aliases: [],
      },
      key: r.key,
    }));
  }

  private async unparsedInbound({ graceSeconds, limit, after, only }: OwedQuery): Promise<KeyedJob[]> {
    const rows = await this.dataSource.query<{ id: string; key: string }[]>(
      `SELECT id, received_at::text || '|' || id AS key FROM inbound_messages
       WHERE status = 'stored' AND received_at < now() - make_interval(secs => $1)
         AND ($3::uuid[] IS NULL OR id = ANY($3::uuid[]))
         AND ($4::text IS NULL
              OR (received_at, id) > (split_part($4, '|', 1)::timestamptz, split_part($4, '|', 2)::uuid))
       ORDER BY received_at, id LIMIT $2`,
      [graceSeconds, limit, only ?? null, after ?? null],
    );
    return rows.map((r) => ({
      job: {
        item: { queue: QueueName.Inbound, name: JobName.ParseInbound, data: { inboundId: r.id } },
        ref: r.id,
        aliases: [],
      },
      key: r.key,
    }));
  }

  /**
   * Staff approvals (takedowns.approved, with the links they approved) that the worker has not acted on: no
   * takedowns.scheduled event names them (the job writes one however little it finds to do), and links of this
   * approval are still approved (with none, the links were taken down or dealt with since, and the job would only act
   * on other approvals' links). The command line's approval, which names no links, enqueues no job and is not owed one.
   */
  private async unappliedApprovals({ graceSeconds, limit, after, only }: OwedQuery): Promise<KeyedJob[]> {
    const rows = await this.dataSource.query<{ id: string; case_id: string }[]>(
      `SELECT a.id, a.case_id FROM audit_events a
       WHERE a.action = 'takedowns.approved' AND a.at < now() - make_interval(secs => $1)
         AND ($3::bigint[] IS NULL OR a.id = ANY($3::bigint[]))
         AND ($4::bigint IS NULL OR a.id > $4::bigint)
         AND EXISTS (SELECT 1 FROM reported_links l
                     WHERE l.case_id = a.case_id AND l.status = 'approved'
                       AND l.url IN (SELECT jsonb_array_elements_text(COALESCE(a.detail->'links', a.detail->'urls'))))
         AND NOT EXISTS (SELECT 1 FROM audit_events s
                         WHERE s.case_id = a.case_id AND s.action = 'takedowns.scheduled'
                           AND s.detail->>'approval' = a.id::text)
       ORDER BY a.id LIMIT $2`,
      [graceSeconds, limit, only ?? null, after ?? null],
    );
    return rows.map((r) => ({
      job: {
        item: { queue: QueueName.Cases, name: JobName.ApplyApproval, data: { caseId: r.case_id, approval: r.id } },
        ref: r.id,
        aliases: [],
      },
      key: r.id,
    }));
  }

  /**
   * Restorations (staff's links.restored, and a complainant's notice.retracted, each with its links) not carried out: no takedowns.restored event
   * names them (the job writes one however little it finds to do), and a link of this restoration still has a done
   * takedown (with none, an earlier restoration's job put it back already).
   */
  private async unappliedRestorations({ graceSeconds, limit, after, only }: OwedQuery): Promise<KeyedJob[]> {
    const rows = await this.dataSource.query<{ id: string; case_id: string }[]>(
      `SELECT a.id, a.case_id FROM audit_events a
       WHERE a.action IN ('links.restored', 'notice.retracted') AND a.at < now() - make_interval(secs => $1)
         AND ($3::bigint[] IS NULL OR a.id = ANY($3::bigint[]))
         AND ($4::bigint IS NULL OR a.id > $4::bigint)
         AND EXISTS (SELECT 1 FROM takedowns t JOIN reported_links l ON l.id = t.reported_link_id
                     WHERE t.case_id = a.case_id AND t.status = 'done' AND l.status = 'restored'
                       AND l.url IN (SELECT jsonb_array_elements_text(COALESCE(a.detail->'links', a.detail->'urls'))))
         AND NOT EXISTS (SELECT 1 FROM audit_events s
                         WHERE s.case_id = a.case_id AND s.action = 'takedowns.restored'
                           AND s.detail->>'restoration' = a.id::text)
       ORDER BY a.id LIMIT $2`,
      [graceSeconds, limit, only ?? null, after ?? null],
    );
    return rows.map((r) => ({
      job: {
        item: {
          queue: QueueName.Takedowns,
          name: JobName.RestoreLinks,
          data: { caseId: r.case_id, restoration: r.id },
        },
        ref: r.id,
        aliases: [],
      },
      key: r.id,
    }));
  }

  /**
   * Privacy requests' mails queued (a mail.queued event) whose outcome nobody recorded: the job writes mail.sent,
   * mail.failed or mail.skipped naming the queued event, whatever becomes of the mail.
   */
  private async unsentPrivacyMail({ graceSeconds, limit, after, only }: OwedQuery): Promise<KeyedJob[]> {
    const rows = await this.dataSource.query<{ id: string; request_id: string; mail: PrivacyMailKind }[]>(
      `SELECT q.id, q.request_id, q.detail->>'mail' AS mail FROM privacy_request_events q
       WHERE q.action = 'mail.queued' AND q.at < now() - make_interval(secs => $1)
         AND ($3::bigint[] IS NULL OR q.id = ANY($3::bigint[]))
         AND ($4::bigint IS NULL OR q.id > $4::bigint)
         AND NOT EXISTS (SELECT 1 FROM privacy_request_events d
                         WHERE d.request_id = q.request_id AND d.action IN ('mail.sent', 'mail.failed', 'mail.skipped')
                           AND d.detail->>'queued' = q.id::text)
       ORDER BY q.id LIMIT $2`,
      [graceSeconds, limit, only ?? null, after ?? null],
    );
    return rows.map((r) => ({
      job: {
        item: {
          queue: QueueName.Privacy,
          name: JobName.SendPrivacyMail,
          data: { requestId: r.request_id, mail: r.mail, event: r.id },
        },
        ref: r.id,
        aliases: [],
      },
      key: r.id,
    }));
  }

  /** Leaves out what the outbox still holds: the relay will add those jobs. */
  private async notInOutbox(owed: OwedJob[]): Promise<OwedJob[]> {
    if (owed.length === 0) return owed;
    const rows = await this.dataSource.query<{ job_id: string }[]>(
      `SELECT job_id FROM outbox WHERE dispatched_at IS NULL AND job_id = ANY($1::text[])`,
      [owed.flatMap((o) => [jobIdFor(o.item), ...o.aliases])],
    );
    const relaying = new Set(rows.map((r) => r.job_id));
    return owed.filter((o) => !relaying.has(jobIdFor(o.item)) && !o.aliases.some((a) => relaying.has(a)));
  }
}
