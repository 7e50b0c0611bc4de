import type { EntityManager } from 'typeorm';
import { type ChecklistResult, detectLanguage, type StructuredNotice } from '../checklist';
import type { Locale } from '../core/i18n/locales';
import { ERASED, type PersonalData } from '../core/privacy/personal-data.service';
import { complainantAddress } from './complainant-address';
import type { NoticeChannel } from './notice.entity';

/** A notice as it is recorded on its case: what was sent, how it was read, and why it may be held. */
export interface NoticeRow {
  caseId: string;
  /** The sender's data subject: their text, fields and address are sealed with its key. */
  subjectId: string;
  channel: NoticeChannel;
  rawText: string | null;
  structured: StructuredNotice | null;
  /** Already sealed (sealChecklist), as the case's copy is. */
  checklist: ChecklistResult;
  linkCount: number;
  inboundMessageId: string | null;
  senderEmail: string | null;
  auth: object | null;
  flags: readonly string[];
  /** The language the sender named; otherwise the one its text and fields are written in. */
  language?: Locale;
}

/** A case's earlier notices, oldest first, as a revision reads them again. */
export interface EarlierNotice {
  raw_text: string | null;
  structured: StructuredNotice | null;
  flags: string[];
  /** Its sender was erased: the record can no longer be read whole, so it is not read again. */
  erased: boolean;
}

/**
 * The notices table's SQL, in one place: every channel's new notice, revision and counter-notice is this INSERT. The
 * text, the structured fields and the sender's address are sealed under the sender's subject; the address's keyed
 * hash is what lookups use.
 */
export async function insertNotice(manager: EntityManager, vault: PersonalData, row: NoticeRow): Promise<string> {
  const [rawText, structured, senderEmail] = await vault.sealAll(manager, row.subjectId, [
    row.rawText,
    row.structured ? JSON.stringify(row.structured) : null,
    row.senderEmail,
  ]);
  const [notice] = await manager.query<{ id: string }[]>(
    `INSERT INTO notices (case_id, channel, raw_text, structured, checklist, link_count,
                          inbound_message_id, sender_email, sender_email_hash, subject_id, auth, flags, language)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13) RETURNING id`,
    [
      row.caseId,
      row.channel,
      rawText,
      structured === null ? null : JSON.stringify(structured),
      JSON.stringify(row.checklist),
      row.linkCount,
      row.inboundMessageId,
      senderEmail,
      row.senderEmail ? vault.hashEmail(row.senderEmail) : null,
      row.subjectId,
      row.auth ? JSON.stringify(row.auth) : null,
      row.flags,
      row.language ?? detectLanguage(row.rawText, row.structured),
    ],
  );
  return notice.id;
}

export async function setNoticeFlags(
  manager: EntityManager,
  noticeId: string,
  flags: readonly string[],
): Promise<void> {
  await manager.query(`UPDATE notices SET flags = $2 WHERE id = $1`, [noticeId, flags]);
}

/** Opened, as a revision reads them again (a withheld sender's too: reading is not showing). */
export async function earlierNotices(
  manager: EntityManager,
  vault: PersonalData,
  caseId: string,
): Promise<EarlierNotice[]> {
  const rows = await manager.query<{ raw_text: string | null; structured: unknown; flags: string[] }[]>(
    `SELECT raw_text, structured, flags FROM notices WHERE case_id = $1 ORDER BY received_at, id`,
    [caseId],
  );
  const all = { includeWithheld: true };
  return Promise.all(
    rows.map(async (r) => {
      const text = await vault.openOne(manager, r.raw_text, all);
      const structured = await vault.openJson<StructuredNotice>(manager, r.structured, all);
      const erased = text === ERASED || (r.structured !== null && structured === null);
      return { raw_text: erased ? null : text, structured, flags: r.flags, erased };
    }),
  );
}

/**
 * Who may revise a case, as keyed hashes of their addresses (PersonalData.hashEmail): its complainant's addresses
 * and the senders of its earlier, unflagged notices.
 */
export async function complainantHashes(
  manager: EntityManager,
  vault: PersonalData,
  caseId: string,
): Promise<Set<string>> {
  const rows = await manager.query<{ hash: string }[]>(
    `SELECT email_hash AS hash FROM parties WHERE case_id = $1 AND role = 'complainant' AND email_hash IS NOT NULL
     UNION
     SELECT sender_email_hash FROM notices
     WHERE case_id = $1 AND sender_email_hash IS NOT NULL AND cardinality(flags) = 0`,
    [caseId],
  );
  const known = new Set(rows.map((r) => r.hash));
  const fallback = await complainantAddress(manager, vault, caseId);
  if (fallback) known.add(vault.hashEmail(fallback));
  return known;
}
