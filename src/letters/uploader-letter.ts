import type { EntityManager } from 'typeorm';
import type { StructuredNotice } from '../checklist';
import { uploaderTokens } from '../cases/uploader-links';
import type { PersonalData } from '../core/privacy/personal-data.service';

/** Who claimed the work, as an uploader may be told: the name and company, never their contact details. */
export interface Claim {
  name: string | null;
  company: string | null;
  work: string | null;
}

/** The complainant's name and company and the work claimed, from the case's parties and its first notice. */
export async function claimOf(m: EntityManager, vault: PersonalData, caseId: string): Promise<Claim> {
  const [party] = await m.query<{ name: string | null; company: string | null }[]>(
    `SELECT name, company FROM parties WHERE case_id = $1 AND role = 'complainant' ORDER BY id LIMIT 1`,
    [caseId],
  );
  if (party) await vault.openRows(m, [party], ['name', 'company']);
  const [notice] = await m.query<{ structured: unknown }[]>(
    `SELECT structured FROM notices WHERE case_id = $1 ORDER BY received_at, id LIMIT 1`,
    [caseId],
  );
  const work = (await vault.openJson<StructuredNotice>(m, notice?.structured))?.work;
  return {
    name: party?.name ?? null,
    company: party?.company ?? null,
    work: work?.description ?? work?.url ?? null,
  };
}

/** What the uploader's letter says besides the removed links: see uploaderLetterContexts. */
export interface UploaderLetterContext {
  claim: Claim;
  uploaderStatusUrl: string;
  counterNoticeUrl: string;
}

/**
 * What the uploader's letter says besides the removed links: who claimed which work, the uploader's own status link
 * (made here, one per uploader and case), and the counter-notice form prefilled with the case and the links.
 */
export async function uploaderLetterContext(
  m: EntityManager,
  vault: PersonalData,
  kase: { id: string; reference: string },
  email: string,
  removedUrls: readonly string[],
  publicUrl: string,
  /** The case's claim when the caller has it already (a round's letters share it): one look-up a case, not a letter. */
  known?: Claim,
): Promise<UploaderLetterContext> {
  return (await uploaderLetterContexts(m, vault, kase, [{ email, removedUrls }], publicUrl, known))[0];
}

/** uploaderLetterContext for several uploaders of one case, in order: the claim once, the status links together. */
export async function uploaderLetterContexts(
  m: EntityManager,
  vault: PersonalData,
  kase: { id: string; reference: string },
  uploaders: readonly { email: string; removedUrls: readonly string[] }[],
  publicUrl: string,
  known?: Claim,
): Promise<UploaderLetterContext[]> {
  if (uploaders.length === 0) return [];
  const claim = known ?? (await claimOf(m, vault, kase.id));
  const tokens = await uploaderTokens(
    m,
    vault,
    kase.id,
    uploaders.map((u) => u.email),
  );
  return uploaders.map((u, i) => {
    const query = new URLSearchParams({ case: kase.reference });
    for (const url of u.removedUrls) query.append('url', url);
    return {
      claim,
      uploaderStatusUrl: `${publicUrl}/uploader/${tokens[i]}`,
      counterNoticeUrl: `${publicUrl}/counter-notices/new?${query.toString()}`,
    };
  });
}
