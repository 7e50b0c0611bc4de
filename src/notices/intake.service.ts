import { Inject, Injectable } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { DataSource, EntityManager } from 'typeorm';
import { type ChecklistResult, replyText, type StructuredNotice } from '../checklist';
import { audit } from '../cases/audit';
import { CaseStatus } from '../cases/case.entity';
import { CaseTransitionsService } from '../cases/case-transitions.service';
import { statusAfterCounterNotice, statusAfterReply } from '../cases/case-workflow';
import { PartyRole } from '../cases/party.entity';
import { recordReportedLinks } from '../cases/link-transitions';
import {
  type AppConfig,
  appConfig,
  type IntakeConfig,
  intakeConfig,
  type TakedownConfig,
  takedownConfig,
} from '../core/config';
import { JobName, QueueName } from '../core/queue/jobs';
import { OutboxService } from '../core/queue/outbox.service';
import { type SortedLink } from '../links';
import { complainantAddress } from '../cases/complainant-address';
import { linkAction } from '../cases/link-action';
import type { NoticeResponseDto } from './dto/notice-response.dto';
import { IdempotencyConflictError, NoticeTooLargeError } from './intake.errors';
import { holds, NOT_THE_COMPLAINANT, NoticeFlag, STICKY_HOLD_FLAGS } from './notice-flags';
import { NoticeChannel } from '../cases/notice.entity';
import { mergeStructured } from './structured-notice';
import { type AnalysisResult, TextAnalysisService } from './text-analysis/text-analysis.service';

export interface IntakeRequest {
  channel: NoticeChannel;
  structured?: StructuredNotice;
  text?: string;
  /** The privacy notice the sender agreed to, where the channel asks for consent (the form does). */
  consent?: { privacyNotice: string };
  /** Idempotency-Key header and a hash of the body it came with. */
  idempotency?: { key: string; requestHash: string };
  /** For email: the stored message, its sender and authentication, and reasons to hold it for a person. */
  email?: EmailOrigin;
  /** The agency whose API key filed the notice; it may then read the case through that key. */
  agencyId?: string;
}

export interface EmailOrigin {
  inboundMessageId: string;
  senderEmail: string;
  auth: object | null;
  flags: string[];
  /** A case reference the subject named, of a case this sender is not the complainant of: kept for staff. */
  namedReference?: string;
}

/** A reply threaded into an existing case. */
export interface RevisionRequest {
  text: string;
  email: EmailOrigin;
}

export interface RecordedNotice {
  caseId: string;
  noticeId: string;
  status: string;
  flags: string[];
  /** For a revision: whether the case was sent to the router again. */
  rerouted?: boolean;
}

interface CaseForRevision {
  id: string;
  status: CaseStatus;
  checklist: ChecklistResult;
}

interface EarlierNotice {
  raw_text: string | null;
  structured: StructuredNotice | null;
  flags: string[];
}

export interface IntakeResult {
  response: NoticeResponseDto;
  /** True when an earlier request with the same Idempotency-Key already made this case. */
  replayed: boolean;
}

/**
 * The one way notices enter the system, whatever the channel: check, sort, and record the case with its
 * follow-up work in a single transaction. Nothing slow happens here; the router job does the rest.
 */
@Injectable()
export class IntakeService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly outbox: OutboxService,
    @Inject(appConfig.KEY) private readonly app: AppConfig,
    @Inject(intakeConfig.KEY) private readonly limits: IntakeConfig,
    @Inject(takedownConfig.KEY) private readonly takedown: TakedownConfig,
    private readonly text: TextAnalysisService,
    private readonly transitions: CaseTransitionsService,
  ) {}

  async receive(request: IntakeRequest): Promise<IntakeResult> {
    const { links, checklist, flags } = await this.prepare(request);
    return this.dataSource.transaction(async (manager) => {
      if (request.idempotency) {
        const earlier = await this.claimIdempotencyKey(manager, request.idempotency);
        if (earlier) return { response: earlier, replayed: true };
      }
      const { response } = await this.record(manager, request, checklist, links, flags);
      if (request.idempotency) {
        await manager.query(
          `UPDATE idempotency_keys SET case_id = $2, response_status = $3, response_body = $4 WHERE key = $1`,
          [request.idempotency.key, response.caseId, 201, JSON.stringify(response)],
        );
      }
      return { response, replayed: false };
    });
  }

  /**
   * A new notice from email, recorded in the caller's transaction (which also marks the stored message parsed).
   * Throws NoticeTooLargeError over the limits, as receive does.
   */
  async receiveEmail(
    manager: EntityManager,
    request: IntakeRequest & { email: EmailOrigin },
    read: AnalysisResult,
  ): Promise<RecordedNotice> {
    const { links, checklist, flags: textFlags } = read;
    const named = request.email.namedReference;
    const email = named
      ? { ...request.email, flags: [...request.email.flags, NoticeFlag.NamesOtherCase] }
      : request.email;
    const { response, noticeId } = await this.record(manager, { ...request, email }, checklist, links, textFlags);
    if (named) await audit(manager, response.caseId, 'sender', 'notice.names_other_case', { reference: named });
    return { caseId: response.caseId, noticeId, status: response.status, flags: [...email.flags, ...textFlags] };
  }

  /**
   * A reply to our letter to the uploader: their counter-notice. It is recorded on the case as a notice of its own,
   * checked as a counter-notice and flagged for staff, and the case goes to review through the status door
   * (statusAfterCounterNotice: a closed one is reopened on a fresh clock; a withdrawn one stays withdrawn, and the
   * refusal is in its audit log for staff). It is not a revision: the case's
   * takedown checklist, its links and its routing are left alone, and its links are not recorded (they name what
   * the uploader wants restored, not anything to take down).
   */
  async receiveCounterNotice(
    manager: EntityManager,
    caseId: string,
    request: RevisionRequest,
    read: AnalysisResult,
  ): Promise<RecordedNotice> {
    const checklist = read.checklist;
    const [kase] = await manager.query<{ id: string; status: CaseStatus }[]>(
      `SELECT id, status FROM cases WHERE id = $1 FOR UPDATE`,
      [caseId],
    );
    const flags = [...new Set([...request.email.flags, NoticeFlag.CounterNotice, ...read.flags])];
    const [notice] = await manager.query<{ id: string }[]>(
      `INSERT INTO notices (case_id, channel, raw_text, structured, checklist, link_count,
                            inbound_message_id, sender_email, auth, flags)
       VALUES ($1, $2, $3, NULL, $4, 0, $5, $6, $7, $8) RETURNING id`,
      [
        caseId,
        NoticeChannel.Email,
        request.text,
        JSON.stringify(checklist),
        request.email.inboundMessageId,
        request.email.senderEmail,
        request.email.auth ? JSON.stringify(request.email.auth) : null,
        flags,
      ],
    );
    const { status } = await this.transitions.propose(manager, kase, statusAfterCounterNotice(kase.status), 'sender');
    await audit(manager, caseId, 'sender', 'notice.counter_notice', {
      channel: NoticeChannel.Email,
      complete: checklist.complete,
      missing: checklist.missing,
      flags,
      caseStatus: status,
    });
    return { caseId, noticeId: notice.id, status, flags, rerouted: false };
  }

  /**
   * A reply to one of a case's letters: kept as a revised notice of that case. The checklist runs again over the
   * case's whole record (every notice's text, replies without what they quote, and structured fields), new links
   * join the case, and when the case has just become complete, or gained links, it goes back to the router. Its
   * status goes through the status door (statusAfterReply): a reply to a rejected case brings it back to staff. A
   * reply from an address that is not the complainant's is kept but flagged, and then nothing is done automatically.
   */
  async revise(
    manager: EntityManager,
    caseId: string,
    request: RevisionRequest,
    reply: AnalysisResult,
  ): Promise<RecordedNotice> {
    const { links, checklist: own } = reply;

    const [kase] = await manager.query<CaseForRevision[]>(
      `SELECT id, status, checklist FROM cases WHERE id = $1 FOR UPDATE`,
      [caseId],
    );
    const all = await manager.query<EarlierNotice[]>(
      `SELECT raw_text, structured, flags FROM notices WHERE case_id = $1 ORDER BY received_at, id`,
      [caseId],
    );
    // The case's record is what its complainant sent: a stranger's reply and the uploader's counter-notice stay
    // on the case for staff, but never count towards the takedown's checklist.
    const earlier = all.filter((n) => !n.flags.some((f) => NOT_THE_COMPLAINANT.includes(f)));
    const flags: string[] = [...request.email.flags, ...reply.flags];
    const known = await this.complainantEmails(manager, caseId);
    if (!known.has(request.email.senderEmail.toLowerCase())) flags.push(NoticeFlag.SenderNotComplainant);

    const [notice] = await manager.query<{ id: string }[]>(
      `INSERT INTO notices (case_id, channel, raw_text, structured, checklist, link_count,
                            inbound_message_id, sender_email, auth, flags)
       VALUES ($1, $2, $3, NULL, $4, $5, $6, $7, $8, $9) RETURNING id`,
      [
        caseId,
        NoticeChannel.Email,
        request.text,
        JSON.stringify(own),
        links.length,
        request.email.inboundMessageId,
        request.email.senderEmail,
        request.email.auth ? JSON.stringify(request.email.auth) : null,
        flags,
      ],
    );
    const added = await this.recordLinks(manager, caseId, notice.id, links);

    // The first notice is read as sent; each reply without the letter it quotes. A stranger's reply is not read in.
    const fromComplainant = !flags.some((f) => NOT_THE_COMPLAINANT.includes(f));
    const texts = [...earlier.map((n) => n.raw_text), fromComplainant ? request.text : null]
      .map((t, i) => (t === null ? '' : i === 0 ? t : replyText(t)))
      .filter((t) => t.trim() !== '');
    const structured = mergeStructured(earlier.map((n) => n.structured));
    // The whole record is read again; were its text to run out of time, the case keeps the checklist it had.
    const record = await this.text.analyse({ structured, text: texts.join('\n\n') });
    const checklist = record.flags.length > 0 ? kase.checklist : record.checklist;
    if (record.flags.length > 0) {
      flags.push(...record.flags);
      await manager.query(`UPDATE notices SET flags = $2 WHERE id = $1`, [notice.id, flags]);
    }

    // Held when THIS notice is flagged (a stranger's reply, a DMARC failure): an earlier flagged notice stays
    // flagged for staff but does not stop a later clean reply from the complainant completing and routing the case,
    // or anyone who can name a case could freeze it. Only a counter-notice (STICKY_HOLD_FLAGS) holds the whole case.
    const held = holds(flags) || all.some((n) => n.flags.some((f) => STICKY_HOLD_FLAGS.includes(f)));
    const open = OPEN_STATUSES.includes(kase.status);
    const actionable = checklist.kind === 'takedown' && checklist.complete;
    const rerouted =
      !held &&
      actionable &&
      (open || kase.status === CaseStatus.Actioned) &&
      (!kase.checklist.complete || added.pending > 0);
    await manager.query(
      `UPDATE cases SET checklist = $2, kind = $3, routed_at = CASE WHEN $4 THEN NULL ELSE routed_at END,
                        updated_at = now()
       WHERE id = $1`,
      [caseId, JSON.stringify(checklist), checklist.kind, rerouted],
    );
    // An answer to our request for information restarts the clock: the case waits on us again.
    const { status } = await this.transitions.propose(
      manager,
      kase,
      statusAfterReply(kase.status, checklist, held),
      'sender',
    );
    await audit(manager, caseId, 'sender', 'notice.revised', {
      channel: NoticeChannel.Email,
      missing: checklist.missing,
      newLinks: added.inserted,
      flags,
      rerouted,
    });
    if (rerouted) {
      await this.outbox.enqueue(manager, [
        { queue: QueueName.Cases, name: JobName.RouteCase, data: { caseId, revision: all.length + 1 } },
      ]);
    }
    return { caseId, noticeId: notice.id, status, flags, rerouted };
  }

  /**
   * Reads an email's text (a new notice, a counter-notice, or a reply to a case) before the caller opens the
   * transaction that records it, so that no row stays locked while a thread reads. Throws NoticeTooLargeError over
   * the limits, as the recording would.
   */
  async readEmail(kind: 'notice' | 'counter_notice' | 'reply', request: IntakeRequest): Promise<AnalysisResult> {
    if (kind === 'notice') return this.prepare(request);
    const text = request.text ?? '';
    this.enforceLimits(0, text.length);
    if (kind === 'counter_notice') {
      return this.text.analyse({ text, kindHint: 'counter_notice', ownWordsOnly: true, withoutLinks: true });
    }
    const read = await this.text.analyse({ text, ownWordsOnly: true });
    this.enforceLimits(read.links.filter((l) => l.role !== 'original').length, 0);
    return read;
  }

  /** Who may revise a case: its complainant's addresses and the senders of its earlier, unflagged notices. */
  async complainantEmails(manager: EntityManager, caseId: string): Promise<Set<string>> {
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

  private async prepare(request: IntakeRequest): Promise<AnalysisResult> {
    this.enforceLimits(request.structured?.infringingUrls?.length ?? 0, request.text?.length ?? 0);
    const read = await this.text.analyse({ structured: request.structured, text: request.text });
    // The work's own URL is not counted against the limit: only what the sender reports.
    this.enforceLimits(read.links.filter((l) => l.role !== 'original').length, 0);
    return read;
  }

  private enforceLimits(urlCount: number, textLength: number): void {
    if (urlCount > this.limits.maxUrls) {
      throw new NoticeTooLargeError(
        `A notice may list at most ${this.limits.maxUrls} URLs; this one has ${urlCount}. Split it into several notices.`,
      );
    }
    if (textLength > this.limits.maxTextChars) {
      throw new NoticeTooLargeError(
        `A notice's text may hold at most ${this.limits.maxTextChars} characters; this one has ${textLength}.`,
      );
    }
  }

  /**
   * Takes the key for this transaction. The unique index makes a concurrent request with the same key wait
   * for ours to commit; it then finds the stored answer.
   */
  private async claimIdempotencyKey(
    manager: EntityManager,
    { key, requestHash }: { key: string; requestHash: string },
  ): Promise<NoticeResponseDto | undefined> {
    const inserted: unknown[] = await manager.query(
      `INSERT INTO idempotency_keys (key, request_hash, case_id, response_status, response_body)
       VALUES ($1, $2, NULL, NULL, NULL) ON CONFLICT (key) DO NOTHING RETURNING key`,
      [key, requestHash],
    );
    if (inserted.length > 0) return undefined;
    const [row] = await manager.query<{ request_hash: string; response_body: NoticeResponseDto }[]>(
      `SELECT request_hash, response_body FROM idempotency_keys WHERE key = $1`,
      [key],
    );
    if (row.request_hash !== requestHash) {
      throw new IdempotencyConflictError(
        'This Idempotency-Key was already used with a different request body. Use a new key for a new notice.',
      );
    }
    return row.response_body;
  }

  private async record(
    manager: EntityManager,
    request: IntakeRequest,
    checklist: ChecklistResult,
    links: SortedLink[],
    textFlags: readonly string[],
  ): Promise<{ response: NoticeResponseDto; noticeId: string }> {
    const flags = [...(request.email?.flags ?? []), ...textFlags];
    const token = randomBytes(24).toString('base64url');
    const searchTerms = request.structured?.searchTerms?.map((t) => t.trim()).filter((t) => t.length > 0) ?? [];
    const created = await this.transitions.open(manager, {
      checklist,
      held: holds(flags),
      statusToken: token,
      searchTerms,
      agencyId: request.agencyId ?? null,
    });
    const { status } = created;

    const [notice] = await manager.query<{ id: string }[]>(
      `INSERT INTO notices (case_id, channel, raw_text, structured, checklist, link_count,
                            inbound_message_id, sender_email, auth, flags)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id`,
      [
        created.id,
        request.channel,
        request.text ?? null,
        request.structured ? JSON.stringify(request.structured) : null,
        JSON.stringify(checklist),
        links.length,
        request.email?.inboundMessageId ?? null,
        request.email?.senderEmail ?? request.structured?.complainant?.email ?? null,
        request.email?.auth ? JSON.stringify(request.email.auth) : null,
        flags,
      ],
    );

    await this.recordParties(manager, created.id, request.structured);
    await this.recordLinks(manager, created.id, notice.id, links);
    await audit(manager, created.id, 'sender', 'notice.received', {
      channel: request.channel,
      kind: checklist.kind,
      missing: checklist.missing,
      links: links.length,
      ...(flags.length > 0 ? { flags } : {}),
    });
    if (request.consent) {
      await audit(manager, created.id, 'sender', 'consent.given', { privacyNotice: request.consent.privacyNotice });
    }
    await this.outbox.enqueue(manager, [
      { queue: QueueName.Cases, name: JobName.RouteCase, data: { caseId: created.id } },
    ]);

    const response: NoticeResponseDto = {
      caseId: created.id,
      reference: created.reference,
      status,
      statusUrl: `${this.app.publicUrl}/status/${token}`,
      kind: checklist.kind,
      checklist: checklist.elements,
      missing: checklist.missing,
      links: links.map((l) => ({
        url: l.url,
        classification: l.classification,
        provider: l.provider,
        role: l.role,
        action: linkAction(l, checklist, this.takedown.requireApproval),
      })),
    };
    return { response, noticeId: notice.id };
  }

  private async recordParties(manager: EntityManager, caseId: string, structured?: StructuredNotice): Promise<void> {
    const c = structured?.complainant;
    if (!c) return;
    const rows: (string | null | undefined)[][] = [
      [PartyRole.Complainant, c.name, c.company, c.email, c.phone, c.address],
    ];
    if (c.role === 'agent' && c.ownerName) rows.push([PartyRole.Owner, c.ownerName, null, null, null, null]);
    await manager.query(
      `INSERT INTO parties (case_id, role, name, company, email, phone, address)
       SELECT $1, * FROM unnest($2::party_role[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[])`,
      [caseId, ...[0, 1, 2, 3, 4, 5].map((i) => rows.map((r) => r[i] ?? null))],
    );
  }

  /**
   * One statement for any number of links. A link the case already has (a reply repeating it) is left as it is.
   * Returns how many were new, and how many of those wait for the router.
   */
  private recordLinks(
    manager: EntityManager,
    caseId: string,
    noticeId: string,
    links: SortedLink[],
  ): Promise<{ inserted: number; pending: number }> {
    return recordReportedLinks(manager, caseId, noticeId, links);
  }
}

/** Statuses in which a reply may still change what happens to the case. */
const OPEN_STATUSES: readonly CaseStatus[] = [CaseStatus.Received, CaseStatus.NeedsInfo, CaseStatus.InReview];
