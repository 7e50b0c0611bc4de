import type { DataSource } from 'typeorm';
import { audit } from '../cases/audit';
import { CaseStatus } from '../cases/case.entity';
import { assertTransition } from '../cases/case-workflow';

export interface ApprovalResult {
  caseId: string;
  approved: number;
}

/**
 * Releases a case's takedowns held for approval (TAKEDOWN_REQUIRE_APPROVAL): they fall due now and the next sweep
 * removes the links. The command line's way; staff use TriageService.approve, which can also choose links.
 */
export async function approveTakedowns(
  dataSource: DataSource,
  reference: string,
  actor: string,
): Promise<ApprovalResult> {
  return dataSource.transaction(async (m) => {
    const [kase] = await m.query<{ id: string; status: CaseStatus }[]>(
      `SELECT id, status FROM cases WHERE reference = $1 FOR UPDATE`,
      [reference],
    );
    if (!kase) throw new Error(`No case ${reference}.`);
    // The command line obeys the workflow like every other caller.
    if (kase.status !== CaseStatus.Actioned) assertTransition(kase.status, CaseStatus.Actioned);
    const released = await m.query<{ reported_link_id: string }[]>(
      `WITH released AS (
         UPDATE takedowns SET status = 'pending', due_at = now()
         WHERE case_id = $1 AND status = 'awaiting_approval' RETURNING reported_link_id)
       SELECT reported_link_id FROM released`,
      [kase.id],
    );
    if (released.length > 0) {
      await m.query(`UPDATE reported_links SET status = 'approved' WHERE id = ANY($1::uuid[]) AND status = 'pending'`, [
        released.map((r) => r.reported_link_id),
      ]);
      if (kase.status !== CaseStatus.Actioned) {
        await m.query(`UPDATE cases SET status = 'actioned', updated_at = now() WHERE id = $1`, [kase.id]);
        await audit(m, kase.id, actor, 'case.transitioned', {
          from: kase.status,
          to: CaseStatus.Actioned,
          reason: null,
        });
      }
      await audit(m, kase.id, actor, 'takedowns.approved', { takedowns: released.length });
    }
    return { caseId: kase.id, approved: released.length };
  });
}
