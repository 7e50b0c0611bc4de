import type { EntityManager } from 'typeorm';
import type { ChecklistResult, StructuredNotice } from '../checklist';
import { complainantAddress } from './complainant-address';
import type { NoticeChannel } from './notice.entity';

/** A notice as it is recorded on its case: what was sent, how it was read, and why it may be held. */
export interface NoticeRow {
  caseId: string;
  channel: NoticeChannel;
  rawText: string | null;
  structured: StructuredNotice | null;
  checklist: ChecklistResult;
  linkCount: number;
  inboundMessageId: string | null;
  senderEmail: string | null;
  auth: object | null;
  flags: readonly string[];
}

/** A case's earlier notices, oldest first, as a revision reads them again. */
export interface EarlierNotice {
  raw_text: string | null;
  structured: StructuredNotice | null;
  flags: string[];
}

/** The notices table's SQL, in one place: every channel's new notice, revision and counter-notice is this INSERT. */
export async function insertNotice(manager: EntityManager, row: NoticeRow): Promise<string> {
  const [notice] = await manager.query<{ id: string }[]>(
    `INSERT INTO notices (case_id, channel, raw_text, structured, checklist, link_count,
                          inbound_message_id, sender_email, auth, flags)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id`,
    [
      row.caseId,
      row.channel,
      row.rawText,
      row.structured ? JSON.stringify(row.structured) : null,
      JSON.stringify(row.checklist),
      row.linkCount,
      row.inboundMessageId,
      row.senderEmail,
      row.auth ? JSON.stringify(row.auth) : null,
      row.flags,
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

export function earlierNotices(manager: EntityManager, caseId: string): Promise<EarlierNotice[]> {
  return manager.query<EarlierNotice[]>(
    `SELECT raw_text, structured, flags FROM notices WHERE case_id = $1 ORDER BY received_at, id`,
    [caseId],
  );
}

/** Who may revise a case: its complainant's addresses and the senders of its earlier, unflagged notices. */
export async function complainantEmails(manager: EntityManager, caseId: string): Promise<Set<string>> {
  const rows = await manager.query<{ email: string }[]>(
    `SELECT lower(email) AS email FROM parties WHERE case_id = $1 AND role = 'complainant' AND email IS NOT NULL
     UNION
     SELECT lower(sender_email) FROM notices
     WHERE case_id = $1 AND sender_email IS NOT NULL AND cardinality(flags) = 0`,
    [caseId],
  );
  const known = new Set(rows.map((r) => r.email));
  const fallback = await complainantAddress(manager, caseId);
  if (fallback) known.add(fallback.toLowerCase());
  return known;
}
