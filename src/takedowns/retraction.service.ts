import type { Locale } from '../core/i18n/locales';
import { Injectable, NotFoundException } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { recordText } from '../cases/case-texts';
import { CaseTransitionsService } from '../cases/case-transitions.service';
import { statusAfterRetraction } from '../cases/case-workflow';
import { complainantAddress } from '../cases/complainant-address';
import { moveLinks } from '../cases/link-transitions';
import { LinkStatus } from '../cases/reported-link.entity';
import { CaseStatus } from '../cases/case.entity';
import { DomainError } from '../core/errors';
import { JobName, QueueName } from '../core/queue/jobs';
import { OutboxService } from '../core/queue/outbox.service';
import { LetterKind } from '../letters/letter.entity';
import { LettersService } from '../letters/letters.service';
import { normalizeUrl } from '../links';
import { ERASED, PersonalData } from '../core/privacy/personal-data.service';

/** A partial retraction named URLs that are not in the notice: nothing was retracted. */
export class NotInNoticeError extends DomainError {
  readonly kind = 'invalid';

  constructor(readonly urls: string[]) {
    super(`${urls.join(', ')} ${urls.length === 1 ? 'is' : 'are'} not in this notice; nothing was retracted.`);
  }

  override get details(): Record<string, unknown> {
    return { notInNotice: this.urls };
  }
}

/** What a retraction did: the URLs it covers now, and whether this call changed anything. */
export interface RetractionResult {
  reference: string;
  retractedUrls: string[];
  /** Links taken down for the notice that are being put back. */
  restored: string[];
  /** False for a second, identical retraction: nothing was left to undo. */
  changed: boolean;
}

interface CaseRow {
  id: string;
  reference: string;
  status: CaseStatus;
  status_token: string;
  language: Locale;
}

interface LinkRow {
  id: string;
  url: string;
  status: LinkStatus;
  provider: string | null;
}

/** Statuses of a link a retraction still has to act on; restored and retracted ones are done. */
const UNDONE: readonly LinkStatus[] = [
  LinkStatus.Pending,
  LinkStatus.Approved,
  LinkStatus.TakenDown,
  LinkStatus.Referred,
  LinkStatus.Rejected,
  LinkStatus.NotFound,
  LinkStatus.Ignored,
];

/**
 * A complainant retracts their notice, whole or some of its URLs: what was taken down for it is put back at once (no
 * waiting period applies; RestoreLinks restores on the site unless another case still holds a link), takedowns
 * not yet done are cancelled, the providers we referred them to are told the notice was retracted, the uploaders
 * whose material comes back are told, and so is the complainant. A whole retraction withdraws or closes the case
 * through the status door. Retracting again what is already retracted changes nothing.
 */
@Injectable()
export class RetractionService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly outbox: OutboxService,
    private readonly letters: LettersService,
    private readonly vault: PersonalData,
    private readonly transitions: CaseTransitionsService,
  ) {}

  /** By the complainant's status link: the token names the case, and only the complainant holds it. */
  retractByToken(token: string, urls: string[] | undefined, reason: string | undefined): Promise<RetractionResult> {
    return this.dataSource.transaction(async (m) => {
      const [kase] = await m.query<CaseRow[]>(
        `SELECT id, reference, status, status_token, language FROM cases WHERE status_token = $1 FOR UPDATE`,
        [token],
      );
      if (!kase) throw new NotFoundException('No case has this status link.');
      return this.retract(m, kase, urls, reason?.trim() || null);
    });
  }

  /**
   * For a case already locked by the caller: the complainant's retraction by email (authenticated), or one staff
   * confirm. `urls` as written, or none for the whole notice.
   */
  async retractForCase(
    m: EntityManager,
    caseId: string,
    urls: string[] | undefined,
    reason: string | null,
    actor: string,
  ): Promise<RetractionResult> {
    const [kase] = await m.query<CaseRow[]>(
      `SELECT id, reference, status, status_token, language FROM cases WHERE id = $1 FOR UPDATE`,
      [caseId],
    );
    if (!kase) throw new NotFoundException('No such case.');
    return this.retract(m, kase, urls, reason, actor);
  }

  /** A retraction staff confirm (one that came by email from an address or a mail that could not be trusted). */
  confirmByStaff(
    reference: string,
    urls: string[] | undefined,
    reason: string,
    staffId: string,
  ): Promise<RetractionResult> {
    return this.dataSource.transaction(async (m) => {
      const [kase] = await m.query<CaseRow[]>(
        `SELECT id, reference, status, status_token, language FROM cases WHERE reference = $1 FOR UPDATE`,
        [reference],
      );
      if (!kase) throw new NotFoundException(`No case ${reference}.`);
      return this.retract(m, kase, urls, reason.trim() || null, staffId);
    });
  }

  private async retract(
    m: EntityManager,
    kase: CaseRow,
    urls: string[] | undefined,
    reason: string | null,
    actor = 'sender',
  ): Promise<RetractionResult> {
    const links = await m.query<LinkRow[]>(
      `SELECT id, url, status, provider FROM reported_links WHERE case_id = $1 AND role = 'infringing'
       ORDER BY position, id`,
      [kase.id],
    );
    const whole = !urls || urls.length === 0;
    const named = whole ? links : this.named(links, urls);
    const todo = named.filter((l) => UNDONE.includes(l.status));
    const retractedUrls = named.map((l) => l.url);
    if (todo.length === 0) return { reference: kase.reference, retractedUrls, restored: [], changed: false };

    const takenDown = todo.filter((l) => l.status === LinkStatus.TakenDown);
    const others = todo.filter((l) => l.status !== LinkStatus.TakenDown);
    const referred = todo.filter((l) => l.status === LinkStatus.Referred && l.provider);
    // A CTE: TypeORM answers a bare UPDATE ... RETURNING with [rows, count].
    const [{ n: cancelled }] = await m.query<{ n: number }[]>(
      `WITH cancelled AS (UPDATE takedowns SET status = 'cancelled', claimed_until = NULL
                          WHERE case_id = $1 AND reported_link_id = ANY($2::uuid[])
                            AND status IN ('pending', 'awaiting_approval')
                          RETURNING id)
       SELECT count(*)::int AS n FROM cancelled`,
      [kase.id, todo.map((l) => l.id)],
    );
    const providers = [...new Set(referred.map((l) => l.provider as string))];
    const { event: restoration } = await moveLinks(m, {
      caseId: kase.id,
      actor,
      moves: [
        { linkIds: takenDown.map((l) => l.id), to: LinkStatus.Restored },
        { linkIds: others.map((l) => l.id), to: LinkStatus.Retracted },
      ],
      onRefused: 'skip',
      event: {
        action: 'notice.retracted',
        detail: {
          urls: todo.map((l) => l.url),
          whole,
          reasonText: await recordText(m, kase.id, actor, 'retraction_reason', reason),
          restored: takenDown.length,
          cancelled,
          providers,
        },
      },
    });
    if (takenDown.length > 0) {
      await this.outbox.enqueue(m, [
        { queue: QueueName.Takedowns, name: JobName.RestoreLinks, data: { caseId: kase.id, restoration } },
      ]);
    }
    if (whole) await this.transitions.propose(m, kase, statusAfterRetraction(kase.status), actor);
    await this.tell(m, kase, { urls: todo.map((l) => l.url), whole, reason, restored: takenDown, referred });
    return { reference: kase.reference, retractedUrls, restored: takenDown.map((l) => l.url), changed: true };
  }

  /** The links a partial retraction names; a URL not in the notice is refused, and nothing is done. */
  private named(links: LinkRow[], urls: string[]): LinkRow[] {
    const byUrl = new Map(links.map((l) => [l.url, l]));
    const wanted = urls.map((u) => {
      const n = normalizeUrl(u.trim());
      return { given: u, url: n.ok ? n.url : u.trim() };
    });
    const unknown = wanted.filter((w) => !byUrl.has(w.url));
    if (unknown.length > 0) {
      throw new NotInNoticeError(unknown.map((w) => w.given));
    }
    return [...new Map(wanted.map((w) => [w.url, byUrl.get(w.url) as LinkRow])).values()];
  }

  private async tell(
    m: EntityManager,
    kase: CaseRow,
    r: { urls: string[]; whole: boolean; reason: string | null; restored: LinkRow[]; referred: LinkRow[] },
  ): Promise<void> {
    const letterCase = {
      id: kase.id,
      reference: kase.reference,
      statusToken: kase.status_token,
      language: kase.language,
    };
    const occasion = `retraction:${r.urls.join(' ')}`;
    await this.letters.record(
      m,
      letterCase,
      LetterKind.RetractionConfirmed,
      occasion,
      await complainantAddress(m, this.vault, kase.id),
      { links: r.urls, whole: r.whole, reason: r.reason, restored: r.restored.map((l) => l.url) },
    );
    // The providers we referred the complainant to, who may have acted on the notice: told it is retracted.
    const channels = await m.query<{ provider: string; channel: { email?: string } }[]>(
      `SELECT provider, channel FROM referrals WHERE case_id = $1 AND provider = ANY($2::text[])`,
      [kase.id, [...new Set(r.referred.map((l) => l.provider))]],
    );
    for (const { provider, channel } of channels) {
      if (!channel.email) continue;
      const links = r.referred.filter((l) => l.provider === provider).map((l) => l.url);
      await this.letters.record(m, letterCase, LetterKind.ReferralRetracted, `${occasion}:${provider}`, channel.email, {
        links,
        provider,
      });
    }
    // The uploaders whose material comes back: the takedowns record whom the round's letters went to.
    if (r.restored.length === 0) return;
    const uploaders = await m.query<{ key: string; email: string | null; urls: string[] }[]>(
      `SELECT coalesce(t.uploader->>'emailHash', t.uploader->>'email') AS key, min(t.uploader->>'email') AS email,
              array_agg(DISTINCT l.url) AS urls
       FROM takedowns t JOIN reported_links l ON l.id = t.reported_link_id
       WHERE t.case_id = $1 AND t.reported_link_id = ANY($2::uuid[]) AND t.uploader->>'email' IS NOT NULL
       GROUP BY 1`,
      [kase.id, r.restored.map((l) => l.id)],
    );
    await this.vault.openRows(m, uploaders, ['email'], { includeWithheld: true });
    for (const u of uploaders) {
      if (!u.email || u.email === ERASED) continue;
      await this.letters.record(m, letterCase, LetterKind.RetractionRestored, `${occasion}:${u.key}`, u.email, {
        links: u.urls,
      });
    }
  }
}
