import type { EntityManager } from 'typeorm';
import {
  ERASED,
  type PersonalData,
  type SubjectKeyColumns,
  subjectKeyColumns,
  subjectKeyOf,
} from '../core/privacy/personal-data.service';

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
  // The notice's text only when there is no structured address; with the value, the key of the subject it is
  // sealed under, as this same statement reads it.
  const [row] = await m.query<({ email: string | null; raw_text: string | null } & SubjectKeyColumns)[]>(
    `SELECT p.email, n.raw_text, ${subjectKeyColumns('d')}
     FROM (SELECT 1) one
     LEFT JOIN LATERAL (SELECT email, subject_id FROM parties
                        WHERE case_id = $1 AND role = 'complainant' AND email IS NOT NULL LIMIT 1) p ON true
     LEFT JOIN LATERAL (SELECT raw_text, subject_id FROM notices
                        WHERE case_id = $1 AND raw_text IS NOT NULL AND p.email IS NULL ORDER BY received_at LIMIT 1) n
       ON true
     LEFT JOIN data_subjects d ON d.id = coalesce(p.subject_id, n.subject_id)`,
    [caseId],
  );
  if (!row) return null;
  const [email, text] = await vault.open(m, [row.email, row.email ? null : row.raw_text], {
    includeWithheld: true,
    keys: subjectKeyOf(row),
  });
  const found = email ?? text?.match(ADDRESS)?.[0] ?? null;
  return found === ERASED ? null : found;
}
