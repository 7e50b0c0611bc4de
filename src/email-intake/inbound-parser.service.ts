import { Injectable, Logger } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { complainantHashes, insertNotice } from '../cases/notice-records';
import { sealChecklist } from '../cases/sealed-checklist';
import {
  PersonalData,
  type SubjectKeyColumns,
  subjectKeyColumns,
  type SubjectKeyRow,
  subjectKeyOf,
} from '../core/privacy/personal-data.service';
import { collectingEvery, LARGE_WORK_BYTES, releaseLargeWork } from '../core/memory';
import { redactPersonalData } from '../core/privacy/redact';
import { NoticeChannel } from '../cases/notice.entity';
import { isValidEmail, replyText } from '../checklist';
import { LetterKind } from '../letters/letter.entity';
import type { EmailOrigin, RecordedNotice } from '../notices/intake-request';
import { NoticeTooLargeError } from '../notices/intake.errors';
import { IntakeService } from '../notices/intake.service';
import { NoticeFlag } from '../notices/notice-flags';
import { NoticeReader } from '../notices/notice-reader.service';
import { RevisionsService } from '../notices/revisions.service';
import type { AnalysisResult } from '../notices/text-analysis/text-analysis.service';
import { CounterNoticesService } from '../counter-notices/counter-notices.service';
import { RetractionService } from '../takedowns/retraction.service';
import { audit, systemText } from '../cases/audit';
import { extractUrls, normalizeUrl } from '../links';
import { InboundStatus } from './inbound-message.entity';
import { attachmentUse, EvidenceInput, mailContent } from './mail-content';
import { loopReason } from './mail-loop';
import { type Mail, PARSE_LIMITS, ParseBudget, QuarantineError } from './parse-budget';
import { headerValue, messageIdOf, messageIds, parseHeaders, type RawHeader, splitMessage } from './raw-message';
import { SenderAuthService } from './sender-auth.service';

/** Our letters to the uploader's side: a reply to one is the uploader's counter-notice, or completes it. */
const TO_THE_UPLOADER: readonly LetterKind[] = [
  LetterKind.Uploader,
  LetterKind.CounterNoticeDeficiency,
  LetterKind.CounterNoticeReceipt,
];

const CASE_REFERENCE = /\bDMCA-\d{4}-\d{6}\b/g;

interface InboundRow {
  id: string;
  envelope_from: string | null;
  status: InboundStatus;
  subject_id: string | null;
  /** The Message-ID the store read from the headers, and whether one of our letters has it (ownLetter). */
  message_id: string | null;
  ours: boolean;
}

/**
 * A stored message is read in slices of this many bytes, as base64 written straight into one Buffer of its size: a
 * bytea comes back from Postgres as hex text, so the whole of a 25 MB message read at once cost a 50 MB protocol
 * buffer and a 50 MB string on the way to its Buffer. What the slices leave (their text, the protocol's buffers) is
 * collected after every megabyte read: left to V8, it piled up to three times the message.
 */
const RAW_SLICE_BYTES = 256 * 1024;

/** What threadedCase found: the case a reply belongs to, or a case a stranger's new notice named in its subject. */
interface ThreadedCase {
  caseId?: string;
  /** A reply to our letter to the uploader: their counter-notice. */
  counterNotice?: boolean;
  namedReference?: string;
}

/**
 * Turns one stored message into a notice (a new case, or a revision of the case whose letter it answers), or sets it
 * aside: quarantined when it cannot or may not be parsed, ignored when it is machine mail (auto-replies, bounces,
 * our own letters coming back). Nothing is ever dropped: the raw message stays in inbound_messages.
 */
@Injectable()
export class InboundParserService {
  private readonly logger = new Logger(InboundParserService.name);

  constructor(
    private readonly dataSource: DataSource,
    private readonly reader: NoticeReader,
    private readonly intake: IntakeService,
    private readonly revisions: RevisionsService,
    private readonly counterNotices: CounterNoticesService,
    private readonly retractions: RetractionService,
    private readonly senderAuth: SenderAuthService,
    private readonly vault: PersonalData,
  ) {}

  async parse(inboundId: string): Promise<void> {
    const found = await this.readStored(inboundId);
    if (!found) return; // a retry after the message was settled
    const { stored } = found;
    const m0 = this.dataSource.manager;
    // The raw message and the envelope sender are sealed under the row's subject, whose key came with the row.
    const keys = found.key ? [found.key] : undefined;
    const raw = await this.vault.openBuffer(m0, found.sealed, { includeWithheld: true, inPlace: true, keys });
    // Each large step below lets go of what the one before left (the read's slices, the cipher's, mailparser's).
    releaseLargeWork(found.sealed.length);
    if (!raw) return this.settle(stored.id, InboundStatus.Ignored, 'erased before it was parsed');
    const row = {
      ...stored,
      envelope_from: await this.vault.openOne(m0, stored.envelope_from, { includeWithheld: true, keys }),
    };
    const headers = parseHeaders(splitMessage(raw).head);

    const budget = new ParseBudget(PARSE_LIMITS);
    const problem = budget.check(raw);
    if (problem) return this.settle(row.id, InboundStatus.Quarantined, problem);
    let mail: Mail;
    try {
      mail = await budget.parse(raw, attachmentUse);
    } catch (error) {
      const reason = error instanceof QuarantineError ? error.message : `could not parse: ${message(error)}`;
      return this.settle(row.id, InboundStatus.Quarantined, reason);
    } finally {
      releaseLargeWork(raw.length);
    }

    const own = await this.ownLetter(headers, row);
    if (own) return this.settle(row.id, InboundStatus.Ignored, own);
    const sender = mail.from?.value.find((a) => a.address && isValidEmail(a.address));
    const thread = await this.threadedCase(headers, mail.subject, sender?.address?.toLowerCase());
    const loop = loopReason(headers, row.envelope_from, thread.caseId !== undefined);
    if (loop) return this.settle(row.id, InboundStatus.Ignored, loop);

    if (!sender?.address) return this.settle(row.id, InboundStatus.Quarantined, 'no usable From address');

    let content: { text: string; evidence: EvidenceInput[] };
    try {
      content = await mailContent(mail, 0, budget);
      // Postgres text cannot hold NUL; a notice never needs one.
      content.text = content.text.replace(/\0/g, '');
    } catch (error) {
      if (error instanceof QuarantineError) return this.settle(row.id, InboundStatus.Quarantined, error.message);
      throw error;
    }

    const auth = await this.senderAuth.check(
      raw,
      row.envelope_from,
      headers.some((h) => h.name === 'received'),
    );
    const email: EmailOrigin = {
      inboundMessageId: row.id,
      senderEmail: sender.address.toLowerCase(),
      auth,
      flags: auth.dmarc === 'fail' ? [NoticeFlag.DmarcFail] : [],
      namedReference: thread.namedReference,
    };
    const caseId = thread.caseId;

    const notice = {
      channel: NoticeChannel.Email,
      text: content.text,
      structured: { complainant: { name: sender.name || undefined, email: email.senderEmail } },
      email,
    };
    try {
      // Read before the transaction: no row stays locked while a thread reads the text.
      const kind = !caseId ? 'notice' : thread.counterNotice ? 'counter_notice' : 'reply';
      const read = await this.reader.readEmail(kind, notice);
      const parsed = await this.dataSource.transaction(async (m) => {
        const [locked] = await m.query<{ status: InboundStatus }[]>(
          `SELECT status FROM inbound_messages WHERE id = $1 FOR UPDATE`,
          [row.id],
        );
        if (locked?.status !== InboundStatus.Stored) return undefined;
        // A fresh message that reads as a counter-notice and names one of our cases (by its subject or the URLs we
        // took down) is that case's counter-notice, not a case of its own.
        const countered =
          !caseId && read.checklist.kind === 'counter_notice'
            ? await this.counterNotices.caseOfFreshEmail(m, thread.namedReference, content.text)
            : undefined;
        const request = { text: content.text, email: { ...email, namedReference: undefined } };
        const retraction = caseId && !thread.counterNotice && read.checklist.kind === 'retraction';
        const recorded: RecordedNotice = countered
          ? await this.counterNotice(m, countered, request, read, sender.name)
          : caseId && retraction
            ? await this.retraction(m, caseId, { text: content.text, email }, read)
            : !caseId
              ? await this.intake.receiveEmail(m, notice, read)
              : thread.counterNotice
                ? await this.counterNotice(m, caseId, { text: content.text, email }, read, sender.name)
                : await this.revisions.revise(m, caseId, { text: content.text, email }, read);
        await this.storeEvidence(m, row, recorded.caseId, content.evidence);
        await m.query(
          `UPDATE inbound_messages SET status = 'parsed', case_id = $2, notice_id = $3, processed_at = now(),
                  reason = $4
           WHERE id = $1`,
          [
            row.id,
            recorded.caseId,
            recorded.noticeId,
            recorded.flags.length > 0 ? `flagged: ${recorded.flags.join(', ')}` : null,
          ],
        );
        const as =
          countered || thread.counterNotice
            ? 'counter_notice'
            : retraction
              ? 'retraction'
              : caseId
                ? 'reply'
                : 'new_case';
        return { recorded, as };
      });
      if (parsed) this.intake.logReceived(parsed.recorded, 'email', { as: parsed.as, inboundId: row.id });
    } catch (error) {
      if (error instanceof NoticeTooLargeError) return this.settle(row.id, InboundStatus.Quarantined, error.message);
      throw error;
    }
  }

  /**
   * A reply on the case's thread that retracts the notice, or the URLs it names of the case's: kept as a notice of
   * the case (never part of its takedown record), and carried out at once when it comes from the complainant's
   * address and DMARC passes; otherwise staff confirm it (POST /api/v1/staff/cases/:reference/retraction).
   */
  private async retraction(
    m: EntityManager,
    caseId: string,
    request: { text: string; email: EmailOrigin },
    read: AnalysisResult,
  ): Promise<RecordedNotice> {
    const known = await complainantHashes(m, this.vault, caseId);
    const fromComplainant = known.has(this.vault.hashEmail(request.email.senderEmail));
    const dmarc = (request.email.auth as { dmarc?: string } | null)?.dmarc;
    const flags = [
      ...request.email.flags,
      NoticeFlag.Retraction,
      ...(fromComplainant ? [] : [NoticeFlag.SenderNotComplainant]),
    ];
    const subjectId = await this.vault.subject(m, request.email.senderEmail);
    const noticeId = await insertNotice(m, this.vault, {
      caseId,
      subjectId,
      channel: NoticeChannel.Email,
      rawText: request.text,
      structured: null,
      checklist: await sealChecklist(this.vault, m, subjectId, read.checklist),
      linkCount: 0,
      inboundMessageId: request.email.inboundMessageId,
      senderEmail: request.email.senderEmail,
      auth: request.email.auth,
      flags,
    });
    // The URLs it names that are the case's; none named, the whole notice.
    const named = extractUrls(replyText(request.text));
    const ours = await m.query<{ url: string }[]>(
      `SELECT url FROM reported_links WHERE case_id = $1 AND url = ANY($2::text[])`,
      [
        caseId,
        named.map((u) => {
          const n = normalizeUrl(u);
          return n.ok ? n.url : u;
        }),
      ],
    );
    const urls = ours.length > 0 ? ours.map((r) => r.url) : undefined;
    const awaiting = !fromComplainant
      ? 'the sender is not the complainant'
      : dmarc !== 'pass'
        ? `DMARC did not pass (${dmarc ?? 'none'})`
        : null;
    if (awaiting) {
      await audit(m, caseId, 'sender', 'notice.retraction_received', {
        notice: noticeId,
        urls: urls ?? [],
        whole: urls === undefined,
        awaiting: systemText(awaiting),
      });
    } else {
      await this.retractions.retractForCase(m, caseId, urls, 'retracted by email', 'sender');
    }
    return { caseId, noticeId, status: 'retraction', flags };
  }

  /** The uploader's counter-notice: kept as a notice of the case, then as the case's counter-notice record. */
  private async counterNotice(
    m: EntityManager,
    caseId: string,
    request: { text: string; email: EmailOrigin },
    read: AnalysisResult,
    senderName: string | undefined,
  ): Promise<RecordedNotice> {
    const recorded = await this.revisions.counterNotice(m, caseId, request, read);
    await this.counterNotices.receiveEmail(
      m,
      recorded,
      { senderEmail: request.email.senderEmail, senderName: senderName || undefined },
      request.text,
    );
    return recorded;
  }

  /** The parse kept failing: quarantine the message with the last error, if it is still waiting. */
  async giveUp(inboundId: string, error: unknown): Promise<void> {
    this.logger.warn(`Quarantining inbound message ${inboundId} after repeated failures: ${message(error)}`);
    await this.settle(inboundId, InboundStatus.Quarantined, `could not be processed: ${message(error)}`);
  }

  /**
   * One of our letters come back (a loop through a forwarder, or a misaddressed copy). The stored row says already
   * whether its Message-ID is one of our letters', when it is the one these headers carry.
   */
  private async ownLetter(
    headers: RawHeader[],
    stored: Pick<InboundRow, 'message_id' | 'ours'>,
  ): Promise<string | undefined> {
    if (headers.some((h) => h.name === 'x-takedown-case')) return 'our own letter: X-Takedown-Case header';
    const id = messageIdOf(headers);
    if (!id) return undefined;
    const ours =
      id === stored.message_id
        ? stored.ours
        : (await this.dataSource.query<{ id: string }[]>(`SELECT id FROM letters WHERE message_id = $1`, [id])).length >
          0;
    return ours ? 'our own letter: its Message-ID is one of ours' : undefined;
  }

  /**
   * The case this message answers, if any. In-Reply-To or References naming one of our letters threads it whoever
   * sent it (a stranger's reply is flagged by the intake, not refused); a reply to a letter to the uploader is their
   * counter-notice, not a revision of the takedown. A case reference in the subject threads it only when the sender
   * is one of that case's complainant addresses: references are sequential and easy to guess, so anyone else's mail
   * naming one is a notice of its own, and the reference it named is kept as `namedReference`.
   */
  private async threadedCase(
    headers: RawHeader[],
    subject: string | undefined,
    sender: string | undefined,
  ): Promise<ThreadedCase> {
    const ids = [
      ...messageIds(headerValue(headers, 'in-reply-to')),
      ...messageIds(headerValue(headers, 'references')).reverse(),
    ];
    if (ids.length > 0) {
      const [hit] = await this.dataSource.query<{ case_id: string; kind: string }[]>(
        `SELECT case_id, kind FROM letters WHERE message_id = ANY($1::text[])
         ORDER BY array_position($1::text[], message_id) LIMIT 1`,
        [ids],
      );
      if (hit) return { caseId: hit.case_id, counterNotice: TO_THE_UPLOADER.includes(hit.kind as LetterKind) };
    }
    const references = [...new Set((subject ?? '').match(CASE_REFERENCE) ?? [])];
    if (references.length === 0) return {};
    const [kase] = await this.dataSource.query<{ id: string; reference: string }[]>(
      `SELECT id, reference FROM cases WHERE reference = ANY($1::text[])
       ORDER BY array_position($1::text[], reference) LIMIT 1`,
      [references],
    );
    if (!kase) return {};
    const complainant =
      sender !== undefined &&
      (await complainantHashes(this.dataSource.manager, this.vault, kase.id)).has(this.vault.hashEmail(sender));
    return complainant ? { caseId: kase.id } : { namedReference: kase.reference };
  }

  /**
   * The stored row and its sealed raw message, or undefined when it is no longer waiting to be parsed. A message of
   * one slice (most of them) comes with its row, in one statement; a larger one is read in slices into one Buffer of
   * its size, within one snapshot so that the slices are of the same value.
   */
  private async readStored(
    inboundId: string,
  ): Promise<{ stored: InboundRow; sealed: Buffer; key: SubjectKeyRow | undefined } | undefined> {
    const row = await this.storedRow(this.dataSource.manager, inboundId);
    if (!row) return undefined;
    if (row.raw) return { stored: row.stored, sealed: row.raw, key: row.key };
    return this.dataSource.transaction('REPEATABLE READ', async (m) => {
      const again = await this.storedRow(m, inboundId);
      if (!again) return undefined;
      const sealed = Buffer.allocUnsafe(again.size);
      const read = collectingEvery(LARGE_WORK_BYTES);
      for (let at = 0; at < again.size; at += RAW_SLICE_BYTES) {
        const [slice] = await m.query<{ part: string }[]>(
          `SELECT encode(substring(raw FROM $2 FOR $3), 'base64') AS part FROM inbound_messages WHERE id = $1`,
          [inboundId, at + 1, RAW_SLICE_BYTES],
        );
        sealed.write(slice.part, at, 'base64');
        read(RAW_SLICE_BYTES);
      }
      return { stored: again.stored, sealed, key: again.key };
    });
  }

  /**
   * The row while it waits to be parsed, with its sealed raw message when that is at most one slice, and its
   * subject's key as this same statement reads it (none when the row has no subject).
   */
  private async storedRow(
    m: EntityManager,
    inboundId: string,
  ): Promise<{ stored: InboundRow; size: number; raw: Buffer | null; key: SubjectKeyRow | undefined } | undefined> {
    type Found = InboundRow & { raw_bytes: number; raw: Buffer | null } & SubjectKeyColumns;
    const [found] = await m.query<Found[]>(
      `SELECT i.id, i.envelope_from, i.status, i.subject_id, i.message_id,
              EXISTS (SELECT 1 FROM letters WHERE message_id = i.message_id) AS ours, octet_length(i.raw) AS raw_bytes,
              CASE WHEN octet_length(i.raw) <= $2 THEN i.raw END AS raw, ${subjectKeyColumns('d')}
       FROM inbound_messages i LEFT JOIN data_subjects d ON d.id = i.subject_id WHERE i.id = $1`,
      [inboundId, RAW_SLICE_BYTES],
    );
    if (!found || found.status !== InboundStatus.Stored) return undefined;
    const { raw_bytes: size, raw, key_id, key_wrapped_key, key_kek_id, key_suppressed_at, ...stored } = found;
    const [key] = subjectKeyOf({ key_id, key_wrapped_key, key_kek_id, key_suppressed_at });
    return { stored, size, raw, key };
  }

  /**
   * The message's attachments that are evidence, each by its name (sealed under the message's subject), type, size,
   * hash and MIME part: the bytes are read from the raw message when staff ask (inbound --evidence).
   */
  private async storeEvidence(
    m: EntityManager,
    message: { id: string; subject_id: string | null },
    caseId: string,
    files: EvidenceInput[],
  ): Promise<void> {
    if (files.length === 0) return;
    const subjectId = message.subject_id ?? (await this.vault.subject(m, null));
    const names = await this.vault.sealAll(
      m,
      subjectId,
      files.map((f) => f.filename),
    );
    await m.query(
      `INSERT INTO evidence_files (inbound_message_id, case_id, filename, content_type, size_bytes, sha256, mime_part)
       SELECT $1, $2, f.filename, f.content_type, f.size_bytes, f.sha256, f.mime_part
       FROM jsonb_to_recordset($3::jsonb)
         AS f (filename text, content_type text, size_bytes int, sha256 text, mime_part text[])`,
      [
        message.id,
        caseId,
        JSON.stringify(
          files.map((f, i) => ({
            filename: names[i],
            content_type: f.contentType,
            size_bytes: f.size,
            sha256: f.sha256,
            mime_part: f.part,
          })),
        ),
      ],
    );
  }

  /** The reason is kept beside the sealed message in plain text, so a parser's error that quotes an address does not. */
  private async settle(id: string, status: InboundStatus, reason: string): Promise<void> {
    const kept = redactPersonalData(reason.replace(/\0/g, ''));
    this.logger.log(`inbound ${id}: ${status} (${kept})`);
    await this.dataSource.query(
      `UPDATE inbound_messages SET status = $2, reason = $3, processed_at = now() WHERE id = $1 AND status = 'stored'`,
      [id, status, kept],
    );
  }
}

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
