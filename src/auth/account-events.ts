import type { EntityManager } from 'typeorm';

/** Who acts when no staff member does: the command line, or the product itself. */
export type NonStaffActor = 'cli' | 'system';

/** Appends to the account log, inside the caller's transaction when given its manager. */
export async function accountEvent(
  m: Pick<EntityManager, 'query'>,
  actor: string,
  action: string,
  subjectId: string | null,
  detail: object = {},
): Promise<void> {
  await m.query(`INSERT INTO account_events (actor, action, subject_id, detail) VALUES ($1, $2, $3, $4)`, [
    actor,
    action,
    subjectId,
    JSON.stringify(detail),
  ]);
}
