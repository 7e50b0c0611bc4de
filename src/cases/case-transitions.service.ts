import { Inject, Injectable, NotFoundException } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { type SlaConfig, slaConfig } from '../core/config';
import { audit } from './audit';
import type { CaseStatus } from './case.entity';
import { assertTransition, isReopen } from './case-workflow';
import { slaDeadlines } from './sla';

export interface TransitionResult {
  caseId: string;
  from: CaseStatus;
  to: CaseStatus;
}

/** Moves cases through the workflow: the one place staff actions change a case's status. */
@Injectable()
export class CaseTransitionsService {
  constructor(
    private readonly dataSource: DataSource,
    @Inject(slaConfig.KEY) private readonly sla: SlaConfig,
  ) {}

  /**
   * Locks the case, checks the move against the workflow and records it with its actor and reason in the audit log,
   * all in one transaction. Throws CaseTransitionError (nothing written) when the workflow refuses the move.
   */
  async transition(caseId: string, to: CaseStatus, actor: string, reason?: string | null): Promise<TransitionResult> {
    return this.dataSource.transaction(async (m) => {
      const [kase] = await m.query<{ id: string; status: CaseStatus }[]>(
        `SELECT id, status FROM cases WHERE id = $1 FOR UPDATE`,
        [caseId],
      );
      if (!kase) throw new NotFoundException(`No case ${caseId}.`);
      return this.apply(m, kase, to, actor, reason);
    });
  }

  /**
   * The move itself, inside the caller's transaction on a case row it has locked. A reopened case waits on us
   * again, so its service-level clock starts over.
   */
  async apply(
    m: EntityManager,
    kase: { id: string; status: CaseStatus },
    to: CaseStatus,
    actor: string,
    reason?: string | null,
  ): Promise<TransitionResult> {
    const from = kase.status;
    assertTransition(from, to, reason);
    if (isReopen(from, to)) {
      const due = slaDeadlines(new Date(), this.sla);
      await m.query(`UPDATE cases SET ack_due_at = $2, action_due_at = $3, acknowledged_at = NULL WHERE id = $1`, [
        kase.id,
        due.ackDueAt,
        due.actionDueAt,
      ]);
    }
    await m.query(`UPDATE cases SET status = $2, updated_at = now() WHERE id = $1`, [kase.id, to]);
    await audit(m, kase.id, actor, 'case.transitioned', { from, to, reason: reason?.trim() || null });
    kase.status = to;
    return { caseId: kase.id, from, to };
  }
}
