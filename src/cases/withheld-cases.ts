import type { EntityManager } from 'typeorm';

/**
 * The cases among `caseIds` that hold the data of someone withheld right now (a parent's request for a minor's data
 * is open): their letters are held and their views show the person as withheld until staff settle the request.
 */
export async function withheldCases(m: EntityManager, caseIds: readonly string[]): Promise<Set<string>> {
  if (caseIds.length === 0) return new Set();
  const rows = await m.query<{ case_id: string }[]>(
    `SELECT DISTINCT x.case_id FROM (
       SELECT case_id, subject_id FROM parties WHERE case_id = ANY($1::uuid[])
       UNION ALL SELECT case_id, subject_id FROM notices WHERE case_id = ANY($1::uuid[])
       UNION ALL SELECT case_id, subject_id FROM counter_notices WHERE case_id = ANY($1::uuid[])
       UNION ALL SELECT case_id, subject_id FROM uploader_links WHERE case_id = ANY($1::uuid[])
       UNION ALL SELECT case_id, subject_id FROM letters WHERE case_id = ANY($1::uuid[])
     ) x JOIN data_subjects d ON d.id = x.subject_id
     WHERE d.suppressed_at IS NOT NULL AND d.erased_at IS NULL`,
    [caseIds],
  );
  return new Set(rows.map((r) => r.case_id));
}
