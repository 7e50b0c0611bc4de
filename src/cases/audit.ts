import type { EntityManager } from 'typeorm';
import type { AuditAction, AuditDetails } from './audit-actions';

export type { AuditAction, AuditDetails } from './audit-actions';

/** Appends to a case's audit log, inside the caller's transaction. Returns the event's id. */
export async function audit<A extends AuditAction>(
  m: EntityManager,
  caseId: string,
  actor: string,
  action: A,
  detail: AuditDetails[A],
): Promise<string> {
  const [row] = await m.query<{ id: string }[]>(
    `INSERT INTO audit_events (case_id, actor, action, detail) VALUES ($1, $2, $3, $4) RETURNING id`,
    [caseId, actor, action, JSON.stringify(detail)],
  );
  return row.id;
}
