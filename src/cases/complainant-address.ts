import type { EntityManager } from 'typeorm';

/** Where letters to the complainant go: the structured email, else the first address in the notice text. */
export async function complainantAddress(m: EntityManager, caseId: string): Promise<string | null> {
  const [row] = await m.query<{ email: string | null }[]>(
    `SELECT COALESCE(
       (SELECT email FROM parties WHERE case_id = $1 AND role = 'complainant' AND email IS NOT NULL LIMIT 1),
       (SELECT substring(raw_text from '[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\\.[A-Za-z]{2,}')
        FROM notices WHERE case_id = $1 AND raw_text IS NOT NULL ORDER BY received_at LIMIT 1)
     ) AS email`,
    [caseId],
  );
  return row?.email ?? null;
}
