import { Inject, Injectable } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { DataSource, EntityManager } from 'typeorm';
import { checkNotice, type ChecklistResult, type StructuredNotice } from '../checklist';
import { audit } from '../cases/audit';
import { CaseStatus } from '../cases/case.entity';
import { PartyRole } from '../cases/party.entity';
import { LinkStatus } from '../cases/reported-link.entity';
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
import { PROVIDER_REGISTRY } from '../links/links.constants';
import { sortLinks, type ProviderRegistry, type SortedLink } from '../links';
import { linkAction } from '../takedowns/link-action';
import type { NoticeResponseDto } from './dto/notice-response.dto';
import { IdempotencyConflictError, NoticeTooLargeError } from './intake.errors';
import { NoticeChannel } from './notice.entity';

export interface IntakeRequest {
  channel: NoticeChannel;
  structured?: StructuredNotice;
  text?: string;
  /** The privacy notice the sender agreed to, where the channel asks for consent (the form does). */
  consent?: { privacyNotice: string };
  /** Idempotency-Key header and a hash of the body it came with. */
  idempotency?: { key: string; requestHash: string };
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
    @Inject(PROVIDER_REGISTRY) private readonly registry: ProviderRegistry,
  ) {}

  async receive(request: IntakeRequest): Promise<IntakeResult> {
    this.enforceLimits(request.structured?.infringingUrls?.length ?? 0, request.text?.length ?? 0);
    const links = sortLinks(
      {
        text: request.text,
        infringingUrls: request.structured?.infringingUrls,
        workUrl: request.structured?.work?.url,
      },
      { siteDomains: this.app.siteDomains, registry: this.registry },
    );
    const checklist = checkNotice({ structured: request.structured, text: request.text, textLinks: links });
    // The work's own URL is not counted against the limit: only what the sender reports.
    this.enforceLimits(links.filter((l) => l.role !== 'original').length, 0);

    return this.dataSource.transaction(async (manager) => {
      if (request.idempotency) {
        const earlier = await this.claimIdempotencyKey(manager, request.idempotency);
        if (earlier) return { response: earlier, replayed: true };
      }
      const response = await this.record(manager, request, checklist, links);
      if (request.idempotency) {
        await manager.query(
          `UPDATE idempotency_keys SET case_id = $2, response_status = $3, response_body = $4 WHERE key = $1`,
          [request.idempotency.key, response.caseId, 201, JSON.stringify(response)],
        );
      }
      return { response, replayed: false };
    });
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
  ): Promise<NoticeResponseDto> {
    const status = initialStatus(checklist);
    const token = randomBytes(24).toString('base64url');
    const searchTerms = request.structured?.searchTerms?.map((t) => t.trim()).filter((t) => t.length > 0) ?? [];
    const [created] = await manager.query<{ id: string; reference: string }[]>(
      `INSERT INTO cases (reference, status, kind, status_token, checklist, search_terms)
       VALUES ('DMCA-' || to_char(now() AT TIME ZONE 'UTC', 'YYYY') || '-' || lpad(nextval('case_reference_seq')::text, 6, '0'),
               $1, $2, $3, $4, $5)
       RETURNING id, reference`,
      [status, checklist.kind, token, JSON.stringify(checklist), searchTerms],
    );

    const [notice] = await manager.query<{ id: string }[]>(
      `INSERT INTO notices (case_id, channel, raw_text, structured, checklist, link_count)
       VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`,
      [
        created.id,
        request.channel,
        request.text ?? null,
        request.structured ? JSON.stringify(request.structured) : null,
        JSON.stringify(checklist),
        links.length,
      ],
    );

    await this.recordParties(manager, created.id, request.structured);
    await this.recordLinks(manager, created.id, notice.id, links);
    await audit(manager, created.id, 'sender', 'notice.received', {
      channel: request.channel,
      kind: checklist.kind,
      missing: checklist.missing,
      links: links.length,
    });
    if (request.consent) {
      await audit(manager, created.id, 'sender', 'consent.given', { privacyNotice: request.consent.privacyNotice });
    }
    await this.outbox.enqueue(manager, [
      { queue: QueueName.Cases, name: JobName.RouteCase, data: { caseId: created.id } },
    ]);

    return {
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

  /** One statement for any number of links. */
  private async recordLinks(
    manager: EntityManager,
    caseId: string,
    noticeId: string,
    links: SortedLink[],
  ): Promise<void> {
    if (links.length === 0) return;
    await manager.query(
      `INSERT INTO reported_links (case_id, notice_id, url, raw, classification, provider, role, status, position)
       SELECT $1, $2, * FROM unnest($3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::link_status[], $9::int[])`,
      [
        caseId,
        noticeId,
        links.map((l) => l.url),
        links.map((l) => l.raw),
        links.map((l) => l.classification),
        links.map((l) => l.provider),
        links.map((l) => l.role),
        links.map((l) => (l.role === 'infringing' && isActionable(l) ? LinkStatus.Pending : LinkStatus.Ignored)),
        links.map((_, i) => i),
      ],
    );
  }
}

function isActionable(link: SortedLink): boolean {
  return link.classification === 'internal' || link.classification === 'external_disk';
}

function initialStatus(checklist: ChecklistResult): CaseStatus {
  if (checklist.kind !== 'takedown') return CaseStatus.InReview;
  return checklist.complete ? CaseStatus.Received : CaseStatus.NeedsInfo;
}
