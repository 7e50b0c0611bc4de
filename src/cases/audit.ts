import type { EntityManager } from 'typeorm';
import { redactPersonalData } from '../core/privacy/redact';
import type { AuditAction, AuditDetails, SystemText } from './audit-actions';

export type { AuditAction, AuditDetails, SystemText, TextId } from './audit-actions';

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

/** One event of auditMany's batch. */
export type AuditEntry = {
  [A in AuditAction]: { caseId: string; actor: string; action: A; detail: AuditDetails[A] };
}[AuditAction];

/** Appends several events in one statement, in their order, inside the caller's transaction. Returns their ids. */
export async function auditMany(m: EntityManager, events: readonly AuditEntry[]): Promise<string[]> {
  if (events.length === 0) return [];
  const rows = await m.query<{ id: string }[]>(
    `INSERT INTO audit_events (case_id, actor, action, detail)
     SELECT * FROM unnest($1::uuid[], $2::text[], $3::text[], $4::jsonb[]) RETURNING id`,
    [
      events.map((e) => e.caseId),
      events.map((e) => e.actor),
      events.map((e) => e.action),
      events.map((e) => JSON.stringify(e.detail)),
    ],
  );
  return rows.map((r) => r.id);
}

/**
 * A message of the system's own (an SMTP reply, a site error, a workflow refusal) fit for the append-only log:
 * servers quote the addresses they refuse, so e-mail addresses and phone numbers are taken out.
 */
export function systemText(text: string): SystemText {
  return redactPersonalData(text) as SystemText;
}
