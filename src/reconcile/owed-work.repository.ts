import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { jobIdFor, JobItem, JobName, QueueName } from '../core/queue/jobs';

/** Work the database says is owed: the job that does it, the row it is for (logged), and other ids it may run under. */
export interface OwedJob {
  item: JobItem;
  /** The id of the row the work is for (a case, letter, inbound message or audit event): ids only, never content. */
  ref: string;
  /** Ids under which a live job does the same work (a case's first routing, when a revision is owed). */
  aliases: string[];
}

export interface OwedQuery {
  graceSeconds: number;
  limit: number;
  /** Re-checks only these refs (after their job was found completed). */
  only?: string[];
}

/** Every kind of work the reconciler looks for, in the order a pass goes through them. */
export const RECONCILED_KINDS = [
  JobName.RouteCase,
  JobName.SendLetter,
  JobName.ParseInbound,
  JobName.ApplyApproval,
  JobName.RestoreLinks,
  JobName.SweepDueTakedowns,
] as const;
export type ReconciledKind = (typeof RECONCILED_KINDS)[number];

/** The one ref of the sweep: it acts on every due takedown, so one job covers them all. */
export const DUE_TAKEDOWNS_REF = 'due-takedowns';

/**
 * The queries that say, from Postgres alone, which jobs should exist: each finds rows older than the grace whose
 * work is not done, by the marks the job's own handler leaves when it is (routed_at, a letter's status, the audit
 * event that closes an approval or a restoration). Rows whose job still waits in the outbox are the relay's, not
 * the reconciler's.
 */
@Injectable()
export class OwedWorkRepository {
  constructor(private readonly dataSource: DataSource) {}

  async find(kind: ReconciledKind, query: OwedQuery): Promise<OwedJob[]> {
    const owed = await this.query(kind, query);
    return this.notInOutbox(owed);
  }

  private query(kind: ReconciledKind, q: OwedQuery): Promise<OwedJob[]> {
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
      case JobName.SweepDueTakedowns:
        return this.unsweptTakedowns(q);
    }
  }

  /**
   * Cases with no routing since they were recorded or a reply revised them. A revision's routing runs under the
   * revision's id (the case's notice count); the first routing's job, should it still be live, does the same work.
   */
  private async unroutedCases({ graceSeconds, limit, only }: OwedQuery): Promise<OwedJob[]> {
    const rows = await this.dataSource.query<{ id: string; notices: number }[]>(
      `SELECT c.id, (SELECT count(*)::int FROM notices n WHERE n.case_id = c.id) AS notices
       FROM cases c
       WHERE c.routed_at IS NULL AND c.updated_at < now() - make_interval(secs => $1)
         AND ($3::uuid[] IS NULL OR c.id = ANY($3::uuid[]))
       ORDER BY c.updated_at LIMIT $2`,
      [graceSeconds, limit, only ?? null],
    );
    return rows.map((r) => {
      const first: JobItem = { queue: QueueName.Cases, name: JobName.RouteCase, data: { caseId: r.id } };
      if (r.notices <= 1) return { item: first, ref: r.id, aliases: [] };
      return {
        item: { queue: QueueName.Cases, name: JobName.RouteCase, data: { caseId: r.id, revision: r.notices } },
        ref: r.id,
        aliases: [jobIdFor(first)],
      };
    });
  }

  /**
   * Letters recorded to be sent and neither sent nor failed, that no sender holds. A letter held by the per-recipient
   * cap (held_until) waits on purpose: it is owed a send only from its held_until on.
   */
  private async unsentLetters({ graceSeconds, limit, only }: OwedQuery): Promise<OwedJob[]> {
    const rows = await this.dataSource.query<{ id: string }[]>(
      `SELECT id FROM letters
       WHERE status = 'queued' AND recipient IS NOT NULL
         AND (claimed_until IS NULL OR claimed_until < now())
         AND created_at < now() - make_interval(secs => $1)
         AND (held_until IS NULL OR held_until < now() - make_interval(secs => $1))
         AND ($3::uuid[] IS NULL OR id = ANY($3::uuid[]))
       ORDER BY created_at LIMIT $2`,
      [graceSeconds, limit, only ?? null],
    );
    return rows.map((r) => ({
      item: { queue: QueueName.Mail, name: JobName.SendLetter, data: { letterId: r.id } },
      ref: r.id,
      aliases: [],
    }));
  }

  private async unparsedInbound({ graceSeconds, limit, only }: OwedQuery): Promise<OwedJob[]> {
    const rows = await this.dataSource.query<{ id: string }[]>(
      `SELECT id FROM inbound_messages
       WHERE status = 'stored' AND received_at < now() - make_interval(secs => $1)
         AND ($3::uuid[] IS NULL OR id = ANY($3::uuid[]))
       ORDER BY received_at LIMIT $2`,
      [graceSeconds, limit, only ?? null],
    );
    return rows.map((r) => ({
      item: { queue: QueueName.Inbound, name: JobName.ParseInbound, data: { inboundId: r.id } },
      ref: r.id,
      aliases: [],
    }));
  }

  /**
   * Staff approvals (takedowns.approved) that the worker has not acted on: no takedowns.scheduled event names them,
   * and the case still has approved links (with none, applying the approval does nothing).
   */
  private async unappliedApprovals({ graceSeconds, limit, only }: OwedQuery): Promise<OwedJob[]> {
    const rows = await this.dataSource.query<{ id: string; case_id: string }[]>(
      `SELECT a.id, a.case_id FROM audit_events a
       WHERE a.action = 'takedowns.approved' AND a.at < now() - make_interval(secs => $1)
         AND ($3::bigint[] IS NULL OR a.id = ANY($3::bigint[]))
         AND a.case_id IN (SELECT case_id FROM reported_links WHERE status = 'approved')
         AND NOT EXISTS (SELECT 1 FROM audit_events s
                         WHERE s.case_id = a.case_id AND s.action = 'takedowns.scheduled'
                           AND s.detail->>'approval' = a.id::text)
       ORDER BY a.id LIMIT $2`,
      [graceSeconds, limit, only ?? null],
    );
    return rows.map((r) => ({
      item: { queue: QueueName.Cases, name: JobName.ApplyApproval, data: { caseId: r.case_id, approval: r.id } },
      ref: r.id,
      aliases: [],
    }));
  }

  /**
   * Staff restorations (links.restored) not carried out: no takedowns.restored event names them, and the case still
   * has a done takedown of a restored link (with none, the restore does nothing).
   */
  private async unappliedRestorations({ graceSeconds, limit, only }: OwedQuery): Promise<OwedJob[]> {
    const rows = await this.dataSource.query<{ id: string; case_id: string }[]>(
      `SELECT a.id, a.case_id FROM audit_events a
       WHERE a.action = 'links.restored' AND a.at < now() - make_interval(secs => $1)
         AND ($3::bigint[] IS NULL OR a.id = ANY($3::bigint[]))
         AND a.case_id IN (SELECT t.case_id FROM takedowns t JOIN reported_links l ON l.id = t.reported_link_id
                           WHERE t.status = 'done' AND l.status = 'restored')
         AND NOT EXISTS (SELECT 1 FROM audit_events s
                         WHERE s.case_id = a.case_id AND s.action = 'takedowns.restored'
                           AND s.detail->>'restoration' = a.id::text)
       ORDER BY a.id LIMIT $2`,
      [graceSeconds, limit, only ?? null],
    );
    return rows.map((r) => ({
      item: {
        queue: QueueName.Takedowns,
        name: JobName.RestoreLinks,
        data: { caseId: r.case_id, restoration: r.id },
      },
      ref: r.id,
      aliases: [],
    }));
  }

  /** Takedowns due for longer than the grace that no sweep holds: one sweep job takes them all. */
  private async unsweptTakedowns({ graceSeconds }: OwedQuery): Promise<OwedJob[]> {
    const [row] = await this.dataSource.query<{ due: boolean }[]>(
      `SELECT EXISTS (SELECT 1 FROM takedowns
                      WHERE status = 'pending' AND due_at < now() - make_interval(secs => $1)
                        AND (claimed_until IS NULL OR claimed_until < now())) AS due`,
      [graceSeconds],
    );
    if (!row?.due) return [];
    return [
      {
        item: { queue: QueueName.Takedowns, name: JobName.SweepDueTakedowns, data: {} },
        ref: DUE_TAKEDOWNS_REF,
        aliases: [],
      },
    ];
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
