import type { EntityManager } from 'typeorm';

/** Appends to a case's audit log, inside the caller's transaction. */
export async function audit(
  m: EntityManager,
  caseId: string,
  actor: string,
  action: string,
  detail: object = {},
): Promise<void> {
  await m.query(`INSERT INTO audit_events (case_id, actor, action, detail) VALUES ($1, $2, $3, $4)`, [
    caseId,
    actor,
    action,
    JSON.stringify(detail),
  ]);
}
