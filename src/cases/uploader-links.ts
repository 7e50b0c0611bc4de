import { randomBytes } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import type { PersonalData } from '../core/privacy/personal-data.service';

/**
 * The uploader's status-link token for the case, made the first time it is asked for; the address is kept sealed
 * under the uploader's data subject and found by its keyed hash.
 */
export async function uploaderToken(
  m: EntityManager,
  vault: PersonalData,
  caseId: string,
  email: string,
): Promise<string> {
  const address = email.trim().toLowerCase();
  const subjectId = await vault.subject(m, address);
  const [row] = await m.query<{ token: string }[]>(
    `INSERT INTO uploader_links (case_id, email, email_hash, subject_id, token) VALUES ($1, $2, $3, $4, $5)
     ON CONFLICT (case_id, email_hash) DO UPDATE SET email = EXCLUDED.email RETURNING token`,
    [
      caseId,
      await vault.seal(m, subjectId, address),
      vault.hashEmail(address),
      subjectId,
      randomBytes(24).toString('base64url'),
    ],
  );
  return row.token;
}
