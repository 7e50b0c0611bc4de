import type { EntityManager } from 'typeorm';

/** Appends to a case's audit log, inside the caller's transaction. Returns the event's id. */
export async function audit(
  m: EntityManager,
  caseId: string,
  actor: string,
  action: string,
  detail: object = {},
): Promise<string> {
  const [row] = await m.query<{ id: string }[]>(
    `INSERT INTO audit_events (case_id, actor, action, detail) VALUES ($1, $2, $3, $4) RETURNING id`,
    [caseId, actor, action, JSON.stringify(detail)],
  );
  return row.id;
}
