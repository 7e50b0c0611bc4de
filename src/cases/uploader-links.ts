import { randomBytes } from 'node:crypto';
import type { EntityManager } from 'typeorm';

/** The uploader's status-link token for the case, made the first time it is asked for. */
export async function uploaderToken(m: EntityManager, caseId: string, email: string): Promise<string> {
  const [row] = await m.query<{ token: string }[]>(
    `INSERT INTO uploader_links (case_id, email, token) VALUES ($1, lower($2), $3)
     ON CONFLICT (case_id, email) DO UPDATE SET email = EXCLUDED.email RETURNING token`,
    [caseId, email, randomBytes(24).toString('base64url')],
  );
  return row.token;
}
