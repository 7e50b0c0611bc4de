import { Injectable, NotFoundException } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { audit } from './audit';
import type { CaseStatus } from './case.entity';
import { assertTransition } from './case-workflow';

export interface TransitionResult {
  caseId: string;
  from: CaseStatus;
  to: CaseStatus;
}

/** Moves cases through the workflow: the one place staff actions change a case's status. */
@Injectable()
export class CaseTransitionsService {
  constructor(private readonly dataSource: DataSource) {}

  /**
   * Locks the case, checks the move against the workflow and records it with its actor and reason in the audit log,
   * all in one transaction. Throws CaseTransitionError (nothing written) when the workflow refuses the move.
   */
  async transition(caseId: string, to: CaseStatus, actor: string, reason?: string | null): Promise<TransitionResult> {
    return this.dataSource.transaction(async (m) => {
      const [kase] = await m.query<{ status: CaseStatus }[]>(`SELECT status FROM cases WHERE id = $1 FOR UPDATE`, [
        caseId,
      ]);
      if (!kase) throw new NotFoundException(`No case ${caseId}.`);
      const from = kase.status;
      assertTransition(from, to, reason);
      await m.query(`UPDATE cases SET status = $2, updated_at = now() WHERE id = $1`, [caseId, to]);
      await audit(m, caseId, actor, 'case.transitioned', { from, to, reason: reason?.trim() || null });
      return { caseId, from, to };
    });
  }
}
