import { Inject, Injectable, Logger } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { DataSource, EntityManager } from 'typeorm';
import { audit } from '../cases/audit';
import { CaseTransitionsService } from '../cases/case-transitions.service';
import { autoActionDecision } from '../cases/auto-action-policy';
import { linkAction } from '../cases/link-action';
import { distinctLinks, recordReportedLinks } from '../cases/link-transitions';
import { insertNotice } from '../cases/notice-records';
import { sealChecklist } from '../cases/sealed-checklist';
import { PartyRole } from '../cases/party.entity';
import { type ChecklistResult, detectLanguage, type StructuredNotice } from '../checklist';
import { type AppConfig, appConfig, type TakedownConfig, takedownConfig } from '../core/config';
import { eventFields, LogEvent } from '../core/logging/log-event';
import { JobName, QueueName } from '../core/queue/jobs';
import { PersonalData } from '../core/privacy/personal-data.service';
import { OutboxService } from '../core/queue/outbox.service';
import { isActionable, type SortedLink } from '../links';
import type { NoticeResponseDto } from './dto/notice-response.dto';
import { EmailOrigin, IntakeRequest, IntakeResult, RecordedNotice } from './intake-request';
import { IdempotencyConflictError } from './intake.errors';
import { holds, NoticeFlag } from './notice-flags';
import { NoticeReader } from './notice-reader.service';
import { type AnalysisResult } from './text-analysis/text-analysis.service';

/**
 * New notices, whatever the channel: check, sort, and record the case with its follow-up work in a single
 * transaction. Nothing slow happens here; the router job does the rest. Replies and counter-notices to a case are
 * RevisionsService's; reading a notice's text under the limits is NoticeReader's.
 */
@Injectable()
export class IntakeService {
  private readonly logger = new Logger(IntakeService.name);

  constructor(
    private readonly dataSource: DataSource,
    private readonly outbox: OutboxService,
    @Inject(appConfig.KEY) private readonly app: AppConfig,
    @Inject(takedownConfig.KEY) private readonly takedown: TakedownConfig,
    private readonly reader: NoticeReader,
    private readonly transitions: CaseTransitionsService,
    private readonly vault: PersonalData,
  ) {}

  async receive(request: IntakeRequest): Promise<IntakeResult> {
    const { links, checklist, flags } = await this.reader.read(request);
    let noticeId: string | undefined;
    const result = await this.dataSource.transaction(async (manager): Promise<IntakeResult> => {
      if (request.idempotency) {
        const earlier = await this.claimIdempotencyKey(manager, request.idempotency);
        if (earlier) return { response: earlier, replayed: true };
      }
      const recorded = await this.record(manager, request, checklist, links, flags);
      const { response, subjectId } = recorded;
      noticeId = recorded.noticeId;
      if (request.idempotency) {
        // The answer quotes the sender's evidence: sealed like the notice, so that erasure reaches the stored copy.
        await manager.query(
          `UPDATE idempotency_keys SET case_id = $2, response_status = $3, response_body = $4 WHERE key = $1`,
          [
            request.idempotency.key,
            response.caseId,
            201,
            JSON.stringify(await this.vault.sealJson(manager, subjectId, response)),
          ],
        );
      }
      return { response, replayed: false };
    });
    if (noticeId && !result.replayed) {
      const { caseId, reference, status } = result.response;
      this.logReceived({ noticeId, caseId, status }, request.channel, { reference, links: links.length });
    }
    return result;
  }

  /** The notice's one line, once it is committed: by the API, the form and the CLI here, by email the parser's. */
  logReceived(
    notice: Pick<RecordedNotice, 'noticeId' | 'caseId' | 'status'>,
    channel: string,
    more: { reference?: string; links?: number; as?: string; inboundId?: string } = {},
  ): void {
    this.logger.log(
      `Notice ${notice.noticeId} received by ${channel} for case ${more.reference ?? notice.caseId}`,
      eventFields(LogEvent.NoticeReceived, {
        noticeId: notice.noticeId,
        caseId: notice.caseId,
        channel,
        status: notice.status,
        ...more,
      }),
    );
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
    const [row] = await manager.query<{ request_hash: string; response_body: unknown }[]>(
      `SELECT request_hash, response_body FROM idempotency_keys WHERE key = $1`,
      [key],
    );
    if (row.request_hash !== requestHash) {
      throw new IdempotencyConflictError(
        'This Idempotency-Key was already used with a different request body. Use a new key for a new notice.',
      );
    }
    const answer = await this.vault.openJson<NoticeResponseDto>(manager, row.response_body);
    if (!answer)
      throw new IdempotencyConflictError(
        'The notice sent with this Idempotency-Key was erased, or is withheld, at a privacy request. Use a new key for a new notice.',
      );
    return answer;
  }

  private async record(
    manager: EntityManager,
    request: IntakeRequest,
    checklist: ChecklistResult,
    links: SortedLink[],
    textFlags: readonly string[],
  ): Promise<{ response: NoticeResponseDto; noticeId: string; subjectId: string }> {
    const flags = [...(request.email?.flags ?? []), ...textFlags];
    const senderEmail = request.email?.senderEmail ?? request.structured?.complainant?.email ?? null;
    const subjectId = await this.vault.subject(manager, senderEmail);
    const sealed = await sealChecklist(this.vault, manager, subjectId, checklist);
    const token = randomBytes(24).toString('base64url');
    const searchTerms = request.structured?.searchTerms?.map((t) => t.trim()).filter((t) => t.length > 0) ?? [];
    const language = request.language ?? detectLanguage(request.text, request.structured);
    const distinct = distinctLinks(links);
    const created = await this.transitions.open(manager, {
      checklist: sealed,
      held: holds(flags),
      statusToken: token,
      searchTerms,
      agencyId: request.agencyId ?? null,
      language,
      linkCount: distinct.length,
    });
    const { status } = created;

    const noticeId = await insertNotice(manager, this.vault, {
      caseId: created.id,
      subjectId,
      channel: request.channel,
      rawText: request.text ?? null,
      structured: request.structured ?? null,
      checklist: sealed,
      linkCount: links.length,
      inboundMessageId: request.email?.inboundMessageId ?? null,
      senderEmail,
      auth: request.email?.auth ?? null,
      flags,
      language,
    });

    await this.recordParties(manager, created.id, subjectId, request.structured);
    await recordReportedLinks(manager, created.id, noticeId, distinct, { newCase: true });
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

    const held = this.heldForApproval(request, links);
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
        action: linkAction(l, checklist, held),
      })),
    };
    return { response, noticeId, subjectId };
  }

  /**
   * Whether the auto-action policy will hold this notice's takedowns for a person, as far as intake can tell: the
   * agency key and the notice's size are known here; a sender without a key is weighed as anonymous, since whether an
   * address has earned `verified` is read when the case is routed (a verified sender may then see its takedowns fall
   * due at once after an answer that said "after approval", never the other way round). The pages a URL stands for are
   * counted at routing too.
   */
  private heldForApproval(request: IntakeRequest, links: SortedLink[]): boolean {
    const standing = request.agencyId ? (request.agencyTrusted ? 'trusted_flagger' : 'agency') : 'anonymous';
    const urls = links.filter((l) => isActionable(l.classification) && l.role === 'infringing').length;
    return !autoActionDecision({ standing, urls, downloads: urls, largestPage: 0 }, this.takedown).act;
  }

  /** The complainant, and the owner an agent names: both as the sender gave them, sealed under the sender's subject. */
  private async recordParties(
    manager: EntityManager,
    caseId: string,
    subjectId: string,
    structured?: StructuredNotice,
  ): Promise<void> {
    const c = structured?.complainant;
    if (!c) return;
    const rows: { role: PartyRole; fields: (string | null | undefined)[]; email?: string }[] = [
      { role: PartyRole.Complainant, fields: [c.name, c.company, c.email, c.phone, c.address], email: c.email },
    ];
    if (c.role === 'agent' && c.ownerName)
      rows.push({ role: PartyRole.Owner, fields: [c.ownerName, null, null, null, null] });
    const sealed = await Promise.all(rows.map((r) => this.vault.sealAll(manager, subjectId, r.fields)));
    await manager.query(
      `INSERT INTO parties (case_id, subject_id, role, name, company, email, phone, address, email_hash)
       SELECT $1, $2, * FROM unnest($3::party_role[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[],
                                    $9::text[])`,
      [
        caseId,
        subjectId,
        rows.map((r) => r.role),
        ...[0, 1, 2, 3, 4].map((i) => sealed.map((f) => f[i])),
        rows.map((r) => (r.email ? this.vault.hashEmail(r.email) : null)),
      ],
    );
  }
}
