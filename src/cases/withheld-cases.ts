import type { EntityManager } from 'typeorm';

/** The case's subjects, from every table that holds one of a case's people, as `(case_id, subject_id)` rows. */
function caseSubjects(matches: string): string {
  return ['parties', 'notices', 'counter_notices', 'uploader_links', 'letters']
    .map((table) => `SELECT case_id, subject_id FROM ${table} WHERE case_id ${matches}`)
    .join(' UNION ALL ');
}

const WITHHELD_SUBJECT = `JOIN data_subjects d ON d.id = x.subject_id WHERE d.suppressed_at IS NOT NULL AND d.erased_at IS NULL`;

/**
 * The cases among `caseIds` that hold the data of someone withheld right now (a parent's request for a minor's data
 * is open): their letters are held and their views show the person as withheld until staff settle the request.
 */
export async function withheldCases(m: EntityManager, caseIds: readonly string[]): Promise<Set<string>> {
  if (caseIds.length === 0) return new Set();
  const rows = await m.query<{ case_id: string }[]>(
    `SELECT DISTINCT x.case_id FROM (${caseSubjects('= ANY($1::uuid[])')}) x ${WITHHELD_SUBJECT}`,
    [caseIds],
  );
  return new Set(rows.map((r) => r.case_id));
}

/**
 * withheldCases for one case, as a boolean expression for a caller's own statement: `caseId` is the SQL that names
 * the case's id there (a column, say).
 */
export function caseWithheld(caseId: string): string {
  return `EXISTS (SELECT 1 FROM (${caseSubjects(`= ${caseId}`)}) x ${WITHHELD_SUBJECT})`;
}
