import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { type ChecklistResult, ELEMENT_LABELS } from '../checklist';
import type { CaseStatus, ElementOverrides } from '../cases/case.entity';
import { effectiveChecklist } from '../cases/effective-checklist';
import type { LinkStatus } from '../cases/reported-link.entity';
import { type AppConfig, appConfig } from '../core/config';
import { LetterKind, LetterStatus } from '../letters/letter.entity';
import type { AgencyCaseQueryDto } from './dto/agency-case-query.dto';
import type {
  AgencyCaseDetailDto,
  AgencyCaseListDto,
  AgencyCaseSummaryDto,
  AgencyStatusChangeDto,
} from './dto/agency-case-response.dto';
import { PersonalData } from '../core/privacy/personal-data.service';

/**
 * Letters an agency may see: those addressed to the sender. The uploader's letter, and any kind added later, stay
 * with staff until someone decides otherwise.
 */
const SENDER_LETTERS: LetterKind[] = [
  LetterKind.Receipt,
  LetterKind.Deficiency,
  LetterKind.Referral,
  LetterKind.TakedownDone,
  LetterKind.Rejection,
];

/** Audit events that are status changes. Their actor (a staff member) and reason (staff's words) are not shown. */
const STATUS_EVENTS = ['case.transitioned', 'case.routed'];

interface CaseRow {
  id: string;
  reference: string;
  status: CaseStatus;
  kind: string;
  status_token: string;
  created_at: Date;
}

/**
 * The cases an agency filed with its key, as the agency may see them: statuses, links, what is missing, letters
 * sent and when the status changed, and nothing about staff (names, notes, reasons) or other parties.
 */
@Injectable()
export class AgencyCasesService {
  constructor(
    private readonly dataSource: DataSource,
    @Inject(appConfig.KEY) private readonly app: AppConfig,
    private readonly vault: PersonalData,
  ) {}

  async list(agencyId: string, query: AgencyCaseQueryDto): Promise<AgencyCaseListDto> {
    const status = query.status ?? null;
    const [rows, [{ total }]] = await Promise.all([
      this.dataSource.query<CaseRow[]>(
        `SELECT id, reference, status, kind, status_token, created_at FROM cases
         WHERE agency_id = $1 AND ($2::case_status IS NULL OR status = $2)
         ORDER BY created_at DESC, id DESC LIMIT $3 OFFSET $4`,
        [agencyId, status, query.perPage, (query.page - 1) * query.perPage],
      ),
      this.dataSource.query<{ total: number }[]>(
        `SELECT count(*)::int AS total FROM cases WHERE agency_id = $1 AND ($2::case_status IS NULL OR status = $2)`,
        [agencyId, status],
      ),
    ]);
    const counts = await this.linkCounts(rows.map((r) => r.id));
    return {
      items: rows.map((r) => this.summary(r, counts.get(r.id) ?? {})),
      page: query.page,
      perPage: query.perPage,
      total,
    };
  }

  /** The agency's case with this reference; null for a case it did not file, so that others' cases stay unseen. */
  async get(agencyId: string, reference: string): Promise<AgencyCaseDetailDto | null> {
    const [kase] = await this.dataSource.query<
      (CaseRow & { checklist: ChecklistResult; element_overrides: ElementOverrides | null })[]
    >(
      `SELECT id, reference, status, kind, status_token, created_at, checklist, element_overrides
       FROM cases WHERE reference = $1 AND agency_id = $2`,
      [reference, agencyId],
    );
    if (!kase) return null;
    const [counts, links, letters, history] = await Promise.all([
      this.linkCounts([kase.id]),
      this.dataSource.query<AgencyCaseDetailDto['links']>(
        `SELECT url, classification, provider, role, status FROM reported_links WHERE case_id = $1 ORDER BY position`,
        [kase.id],
      ),
      this.dataSource.query<{ kind: LetterKind; subject: string; sent_at: Date }[]>(
        `SELECT kind, subject, sent_at FROM letters
         WHERE case_id = $1 AND status = $2 AND kind = ANY($3::letter_kind[]) AND sent_at IS NOT NULL
         ORDER BY sent_at, id`,
        [kase.id, LetterStatus.Sent, SENDER_LETTERS],
      ),
      this.dataSource.query<{ at: Date; from: CaseStatus | null; to: CaseStatus | null }[]>(
        // case.transitioned says { from, to }; case.routed says the status it left the case in.
        `SELECT at, detail->>'from' AS "from", COALESCE(detail->>'to', detail->>'status') AS "to"
         FROM audit_events WHERE case_id = $1 AND action = ANY($2::text[]) ORDER BY at, id`,
        [kase.id, STATUS_EVENTS],
      ),
    ]);
    // A letter's subject is sealed under its recipient's key, as the rest of the letter is.
    await this.vault.openRows(this.dataSource.manager, letters, ['subject']);
    return {
      ...this.summary(kase, counts.get(kase.id) ?? {}),
      // Staff decisions on elements count (not who made them or why): this is what the letters go by.
      missing: effectiveChecklist(kase.checklist, kase.element_overrides ?? {}).missing.map((element) => ({
        element,
        ...ELEMENT_LABELS[element],
      })),
      links,
      letters: letters.map((l) => ({ kind: l.kind, subject: l.subject, sentAt: l.sent_at.toISOString() })),
      history: history.flatMap((h): AgencyStatusChangeDto[] =>
        h.to ? [{ at: h.at.toISOString(), from: h.from, to: h.to }] : [],
      ),
    };
  }

  private summary(row: CaseRow, linkCounts: Record<string, number>): AgencyCaseSummaryDto {
    return {
      reference: row.reference,
      status: row.status,
      kind: row.kind,
      createdAt: row.created_at.toISOString(),
      linkCounts,
      statusUrl: `${this.app.publicUrl}/status/${row.status_token}`,
    };
  }

  private async linkCounts(caseIds: string[]): Promise<Map<string, Record<string, number>>> {
    const byCase = new Map<string, Record<string, number>>();
    if (caseIds.length === 0) return byCase;
    const rows = await this.dataSource.query<{ case_id: string; status: LinkStatus; n: number }[]>(
      `SELECT case_id, status, count(*)::int AS n FROM reported_links WHERE case_id = ANY($1::uuid[])
       GROUP BY case_id, status`,
      [caseIds],
    );
    for (const r of rows) byCase.set(r.case_id, { ...byCase.get(r.case_id), [r.status]: r.n });
    return byCase;
  }
}
