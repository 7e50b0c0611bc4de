import { Inject, Injectable, NotFoundException } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import type { ChecklistResult } from '../checklist';
import { type SlaConfig, slaConfig } from '../core/config';
import type { Locale } from '../core/i18n/locales';
import { audit, systemText, type TextId } from './audit';
import type { CaseStatus } from './case.entity';
import { type CaseTextKind, recordText } from './case-texts';
import { assertTransition, CaseTransitionError, initialStatus, isReopen, type StatusProposal } from './case-workflow';
import { slaDeadlines } from './sla';

export interface TransitionResult {
  caseId: string;
  from: CaseStatus;
  to: CaseStatus;
  /** The reason as recorded in case_texts, for a caller whose own audit event gives the same reason. */
  reasonText: TextId | null;
}

/** What came of a system writer's proposal: the case's status after it, and whether it moved. */
export interface ProposalResult {
  caseId: string;
  from: CaseStatus;
  status: CaseStatus;
  /**
   * moved: the workflow allowed it and it is written; unchanged: the case was already there; refused: the workflow
   * does not allow it (recorded as case.transition_refused); staff_decided: a staff member has acted on the case
   * since its clock last started, and their status stands.
   */
  outcome: 'moved' | 'unchanged' | 'refused' | 'staff_decided';
}

/** What a new case is opened with; its status and service-level deadlines are the door's to decide. */
export interface NewCase {
  checklist: ChecklistResult;
  /** The notice is flagged for a person (notice-flags' holds()). */
  held: boolean;
  statusToken: string;
  searchTerms: string[];
  agencyId: string | null;
  /** The first notice's language. */
  language: Locale;
  /** How many links the first notice brings (distinctLinks of them): recordReportedLinks' newCase leaves it as set. */
  linkCount: number;
}

/** A case row the caller has locked (SELECT … FOR UPDATE) in its transaction. */
export interface LockedCaseStatus {
  id: string;
  status: CaseStatus;
}

/**
 * The one door for a case's status: the only code that writes `cases.status`, for every caller. Staff (an account
 * id) call transition or apply, which throw CaseTransitionError when the workflow refuses; system writers
 * ('sender' for intake, 'worker' for the router, 'cli:<user>', 'system') call propose, whose refused moves change
 * nothing and are recorded for staff. Every move is checked against CASE_TRANSITIONS and written with its audit
 * event, in the caller's transaction.
 */
@Injectable()
export class CaseTransitionsService {
  constructor(
    private readonly dataSource: DataSource,
    @Inject(slaConfig.KEY) private readonly sla: SlaConfig,
  ) {}

  /**
   * Locks the case, checks the move against the workflow and records it with its actor in the audit log and its
   * reason in case_texts, all in one transaction. Throws CaseTransitionError (nothing written) when the workflow
   * refuses the move.
   */
  async transition(caseId: string, to: CaseStatus, actor: string, reason?: string | null): Promise<TransitionResult> {
    return this.dataSource.transaction(async (m) => {
      const [kase] = await m.query<LockedCaseStatus[]>(`SELECT id, status FROM cases WHERE id = $1 FOR UPDATE`, [
        caseId,
      ]);
      if (!kase) throw new NotFoundException(`No case ${caseId}.`);
      return this.apply(m, kase, to, actor, reason);
    });
  }

  /**
   * The move itself, inside the caller's transaction on a case row it has locked. A case that comes back to us (a
   * reopening, or `restartClock`) waits on us again, so its service-level clock starts over. `reasonKind` says what
   * the reason is when it is more than the move's reason (the message of a request for information).
   */
  async apply(
    m: EntityManager,
    kase: LockedCaseStatus,
    to: CaseStatus,
    actor: string,
    reason?: string | null,
    options: { restartClock?: boolean; reasonKind?: CaseTextKind } = {},
  ): Promise<TransitionResult> {
    const from = kase.status;
    assertTransition(from, to, reason);
    if (isReopen(from, to) || options.restartClock) {
      const [tier] = await m.query<{ queue_tier: number }[]>(`SELECT queue_tier FROM cases WHERE id = $1`, [kase.id]);
      const due = slaDeadlines(new Date(), this.sla, { trusted: tier?.queue_tier === 0 });
      await m.query(`UPDATE cases SET ack_due_at = $2, action_due_at = $3, acknowledged_at = NULL WHERE id = $1`, [
        kase.id,
        due.ackDueAt,
        due.actionDueAt,
      ]);
    }
    await m.query(`UPDATE cases SET status = $2, updated_at = now() WHERE id = $1`, [kase.id, to]);
    const reasonText = await recordText(m, kase.id, actor, options.reasonKind ?? 'reason', reason?.trim() || null);
    await audit(m, kase.id, actor, 'case.transitioned', { from, to, reasonText });
    kase.status = to;
    return { caseId: kase.id, from, to, reasonText };
  }

  /**
   * A system writer's move (a counter-notice, a reply, routing), on a case row the caller has locked. The workflow
   * applies to it as to staff: a move it refuses leaves the case as it is, and is recorded as
   * case.transition_refused with the refusal, so staff see what was asked and why it was not done.
   */
  async propose(
    m: EntityManager,
    kase: LockedCaseStatus,
    proposal: StatusProposal | null,
    actor: string,
  ): Promise<ProposalResult> {
    const from = kase.status;
    if (!proposal || proposal.to === from) return { caseId: kase.id, from, status: from, outcome: 'unchanged' };
    try {
      await this.apply(m, kase, proposal.to, actor, proposal.reason, { restartClock: proposal.restartClock });
      return { caseId: kase.id, from, status: kase.status, outcome: 'moved' };
    } catch (error) {
      if (!(error instanceof CaseTransitionError)) throw error;
      await audit(m, kase.id, actor, 'case.transition_refused', {
        from,
        to: proposal.to,
        reasonText: await recordText(m, kase.id, actor, 'reason', proposal.reason),
        refusal: systemText(error.message),
      });
      return { caseId: kase.id, from, status: from, outcome: 'refused' };
    }
  }

  /**
   * The router's word on the status, which yields to staff: once a staff member has acted on the case since its
   * clock last started (acknowledged_at is set, for instance by a bulk action that came before the worker), the
   * status they gave it stands and this changes nothing. Otherwise it is a proposal like any other.
   */
  async proposeUnlessStaffActed(
    m: EntityManager,
    kase: LockedCaseStatus,
    to: CaseStatus,
    actor: string,
  ): Promise<ProposalResult> {
    const [row] = await m.query<{ status: CaseStatus; acknowledged_at: Date | null }[]>(
      `SELECT status, acknowledged_at FROM cases WHERE id = $1`,
      [kase.id],
    );
    kase.status = row.status;
    if (row.acknowledged_at !== null) {
      return { caseId: kase.id, from: row.status, status: row.status, outcome: 'staff_decided' };
    }
    return this.propose(m, kase, { to, reason: null, restartClock: false }, actor);
  }

  /**
   * Opens a case for a new notice, in the caller's transaction: its first status (case-workflow's initialStatus),
   * its reference from the sequence, and its service-level deadlines from now.
   */
  async open(m: EntityManager, c: NewCase): Promise<{ id: string; reference: string; status: CaseStatus }> {
    const status = initialStatus(c.checklist.kind, c.checklist.complete, c.held);
    // A trusted flagger's notice (DSA Art. 22) has its shorter service level and comes first in the queue.
    const [agency] = c.agencyId
      ? await m.query<{ trusted: boolean }[]>(
          `SELECT trusted_flagger_since IS NOT NULL AS trusted FROM agencies WHERE id = $1`,
          [c.agencyId],
        )
      : [];
    const trusted = agency?.trusted ?? false;
    const due = slaDeadlines(new Date(), this.sla, { trusted });
    const [created] = await m.query<{ id: string; reference: string }[]>(
      `INSERT INTO cases (reference, status, kind, status_token, checklist, search_terms, agency_id, ack_due_at, action_due_at,
                          language, queue_tier, link_count)
       VALUES ('DMCA-' || to_char(now() AT TIME ZONE 'UTC', 'YYYY') || '-' || lpad(nextval('case_reference_seq')::text, 6, '0'),
               $1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
       RETURNING id, reference`,
      [
        status,
        c.checklist.kind,
        c.statusToken,
        JSON.stringify(c.checklist),
        c.searchTerms,
        c.agencyId,
        due.ackDueAt,
        due.actionDueAt,
        c.language,
        trusted ? 0 : 1,
        c.linkCount,
      ],
    );
    return { ...created, status };
  }
}
