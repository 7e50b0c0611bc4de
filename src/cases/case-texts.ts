import type { EntityManager } from 'typeorm';
import type { TextId } from './audit-actions';

/**
 * The words of a case that the audit log must not hold (it is append-only, and a person may ask for their data to
 * go): staff's notes and reasons, a request's message, a complainant's reason for retracting. Each is a case_texts
 * row; the audit event that records the decision carries the row's id in a field whose name ends in "Text".
 */

/** What a text is, recorded beside it. */
export type CaseTextKind = 'note' | 'reason' | 'message' | 'retraction_reason' | 'withdrawal_reason';

/** A text as readers get it: null once erased (or gone with its case). */
export interface CaseTextValue {
  text: string | null;
  erased: boolean;
}

/** How an erased text reads on a page or in a letter. */
export const ERASED_TEXT = '(erased)';

type Queryable = Pick<EntityManager, 'query'>;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Records a text of the case in the caller's transaction and returns its id, for the audit event that follows. */
export async function recordText(
  m: EntityManager,
  caseId: string,
  author: string,
  kind: CaseTextKind,
  text: string,
): Promise<TextId>;
export async function recordText(
  m: EntityManager,
  caseId: string,
  author: string,
  kind: CaseTextKind,
  text: string | null,
): Promise<TextId | null>;
export async function recordText(
  m: EntityManager,
  caseId: string,
  author: string,
  kind: CaseTextKind,
  text: string | null,
): Promise<TextId | null> {
  if (text === null) return null;
  const [row] = await m.query<{ id: TextId }[]>(
    `INSERT INTO case_texts (case_id, author, kind, text) VALUES ($1, $2, $3, $4) RETURNING id`,
    [caseId, author, kind, text],
  );
  return row.id;
}

/** The texts with these ids, in one query; an id with no row (its case is gone) is absent. */
export async function textsById(m: Queryable, ids: readonly string[]): Promise<Map<string, CaseTextValue>> {
  const unique = [...new Set(ids)].filter((id) => UUID.test(id));
  if (unique.length === 0) return new Map();
  const rows = await m.query<{ id: string; text: string | null; erased_at: Date | null }[]>(
    `SELECT id, text, erased_at FROM case_texts WHERE id = ANY($1::uuid[])`,
    [unique],
  );
  return new Map(rows.map((r) => [r.id, { text: r.erased_at ? null : r.text, erased: r.erased_at !== null }]));
}

/**
 * Rewrites the cases' texts through `rewrite` (to take a person's name or address out of staff's notes, say) in
 * the caller's transaction; erased texts are left alone. Returns how many changed.
 */
export async function scrubCaseTexts(
  m: EntityManager,
  caseIds: readonly string[],
  rewrite: (text: string) => string,
): Promise<number> {
  if (caseIds.length === 0) return 0;
  const rows = await m.query<{ id: string; text: string }[]>(
    `SELECT id, text FROM case_texts WHERE case_id = ANY($1::uuid[]) AND erased_at IS NULL AND text IS NOT NULL
     ORDER BY id FOR UPDATE`,
    [[...new Set(caseIds)]],
  );
  const changed = rows.map((r) => ({ id: r.id, text: rewrite(r.text) })).filter((r, i) => r.text !== rows[i].text);
  if (changed.length === 0) return 0;
  await m.query(
    `UPDATE case_texts t SET text = v.text FROM unnest($1::uuid[], $2::text[]) AS v(id, text) WHERE t.id = v.id`,
    [changed.map((r) => r.id), changed.map((r) => r.text)],
  );
  return changed.length;
}

/**
 * Erases every text of the cases: the words go, the rows stay (with erased_at), so the audit events that name them
 * still read "(erased)". Returns how many were erased now.
 */
export async function eraseCaseTexts(m: EntityManager, caseIds: readonly string[]): Promise<number> {
  if (caseIds.length === 0) return 0;
  const [{ n }] = await m.query<{ n: number }[]>(
    `WITH erased AS (
       UPDATE case_texts SET text = NULL, erased_at = now()
       WHERE case_id = ANY($1::uuid[]) AND erased_at IS NULL RETURNING id)
     SELECT count(*)::int AS n FROM erased`,
    [[...new Set(caseIds)]],
  );
  return n;
}

/** Whether an audit detail field holds a case_texts id (the naming rule of AuditDetails). */
export function isTextField(key: string): boolean {
  return key.endsWith('Text');
}

/** The audit detail's text ids, by field. */
export function textFieldsOf(detail: object): [field: string, id: string][] {
  return Object.entries(detail).filter((e): e is [string, string] => isTextField(e[0]) && typeof e[1] === 'string');
}

/**
 * The words behind each event's text fields, by field name (reasonText, noteText...), read in one query for all
 * the events. A text that is erased, or whose row is gone, reads as erased.
 */
export async function auditTexts(m: Queryable, details: readonly object[]): Promise<Record<string, CaseTextValue>[]> {
  const fields = details.map((d) => textFieldsOf(d));
  const texts = await textsById(
    m,
    fields.flatMap((f) => f.map(([, id]) => id)),
  );
  return fields.map((f) =>
    Object.fromEntries(f.map(([field, id]) => [field, texts.get(id) ?? { text: null, erased: true }])),
  );
}

/** One text's words for a letter or a page: "(erased)" once erased, null when none was given. */
export async function textOf(m: Queryable, id: string | null | undefined): Promise<string | null> {
  if (!id) return null;
  const text = (await textsById(m, [id])).get(id);
  return text?.text ?? ERASED_TEXT;
}
