import type { EntityManager } from 'typeorm';
import { ERASED, type PersonalData } from '../core/privacy/personal-data.service';

const ADDRESS = /[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}/;

/**
 * Where letters to the complainant go: the structured email, else the first address in the first notice's text.
 * Null when there is none or it is erased. A withheld address is returned: the letter is recorded, and the sender
 * holds it while the request about it is open.
 */
export async function complainantAddress(
  m: EntityManager,
  vault: PersonalData,
  caseId: string,
): Promise<string | null> {
  const [row] = await m.query<{ email: string | null; raw_text: string | null }[]>(
    `SELECT (SELECT email FROM parties WHERE case_id = $1 AND role = 'complainant' AND email IS NOT NULL LIMIT 1) AS email,
            (SELECT raw_text FROM notices WHERE case_id = $1 AND raw_text IS NOT NULL ORDER BY received_at LIMIT 1)
              AS raw_text`,
    [caseId],
  );
  if (!row) return null;
  const [email, text] = await vault.open(m, [row.email, row.email ? null : row.raw_text], { includeWithheld: true });
  const found = email ?? text?.match(ADDRESS)?.[0] ?? null;
  return found === ERASED ? null : found;
}
