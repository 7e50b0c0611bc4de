import type { Locale } from '../core/i18n/locales';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import type { ChecklistResult, ElementName } from '../checklist';
import { ELEMENT_LABELS } from '../checklist';
import { audit } from '../cases/audit';
import { CaseStatus } from '../cases/case.entity';
import { CaseTransitionsService } from '../cases/case-transitions.service';
import { complainantAddress } from '../cases/complainant-address';
import { moveLinks } from '../cases/link-transitions';
import { LinkStatus } from '../cases/reported-link.entity';
import { type AppConfig, appConfig, type TakedownConfig, takedownConfig } from '../core/config';
import { recipientHash } from '../letters/recipient-cap';
import { autoActionDecision, senderStanding } from '../cases/auto-action-policy';
import { eventFields, LogEvent } from '../core/logging/log-event';
import { JobName, QueueName } from '../core/queue/jobs';
import { OutboxService } from '../core/queue/outbox.service';
import { HOLD_FLAGS, NOT_THE_COMPLAINANT, STICKY_HOLD_FLAGS } from '../notices/notice-flags';
import { LetterKind } from '../letters/letter.entity';
import { type LetterToRecord, LettersService } from '../letters/letters.service';
import { PROVIDER_REGISTRY } from '../links/links.constants';
import type { LinkClassification, ProviderRegistry } from '../links';
import { SITE_ADAPTER, type SiteAdapter, type SiteLink } from '../site/site-adapter';
import { referralGroups, routedStatus } from './routing-plan';
import { TakedownReason, TakedownStatus } from './takedown.entity';
import { PersonalData } from '../core/privacy/personal-data.service';
import { NotifierStandingsService } from '../notifiers/notifier-standings.service';

interface CaseRow {
  id: string;
  reference: string;
  status: CaseStatus;
  kind: string;
  status_token: string;
  language: Locale;
  checklist: ChecklistResult;
  search_terms: string[];
  routed_at: Date | null;
}

/** What routing did, for its log line: routed, or held for a person (and why). */
interface Routed {
  reference: string;
  status: string;
  outcome: 'routed' | 'held_for_review' | 'held_notifier_suspended';
}

interface LinkRow {
  id: string;
  url: string;
  classification: LinkClassification;
  provider: string | null;
}

interface RoutingPlan {
  links: LinkRow[];
  internal: LinkRow[];
  disk: LinkRow[];
  ours: SiteLink[];
  outbound: SiteLink[];
}

const CASE_SELECT = `SELECT id, reference, status, kind, status_token, language, checklist, search_terms, routed_at FROM cases`;
/** heldFor's flags of the case $1 (null for none), with HOLD_FLAGS as $2 and STICKY_HOLD_FLAGS as $3. */
const HELD_FLAGS = `(SELECT array_agg(DISTINCT f)
   FROM notices n, unnest(n.flags) AS f
   WHERE n.case_id = $1
     AND ((f = ANY($2::text[])
           AND n.id = (SELECT id FROM notices WHERE case_id = $1 ORDER BY received_at DESC, id DESC LIMIT 1))
          OR f = ANY($3::text[])))`;
const SEARCH_MATCH_LIMIT = 50;
/** A deficiency letter is owed only when these let us find and answer the sender (512(c)(3)(B)(ii)). */
const DEFICIENCY_LETTER_NEEDS: ElementName[] = ['work', 'infringing_material', 'contact'];

/**
 * Turns a recorded case into its follow-up work: takedowns for our own links, referrals per storage provider,
 * takedowns of our outbound links to reported files (512(d)), and the letters. Runs once per routing; a retry finds
 * routed_at set and does nothing. A reply that revises the case clears routed_at and routes it again: the links of all
 * its notices still pending are acted on, takedowns and referrals already made are kept (unique constraints), and
 * the letters of this routing are keyed by the revision (the case's notice count), so a second receipt can follow.
 * A routing whose notice is flagged for review (a DMARC failure, a reply from a stranger), or a case with a
 * counter-notice, is held for a person instead; links sent by someone other than the complainant are never acted on.
 * The status routing arrives at goes through the status door (proposeUnlessStaffActed): a case a staff member has
 * already acted on (a bulk action can come before the worker) keeps the status they gave it.
 */
@Injectable()
export class CaseRouterService {
  private readonly logger = new Logger(CaseRouterService.name);
  constructor(
    private readonly dataSource: DataSource,
    private readonly outbox: OutboxService,
    private readonly letters: LettersService,
    private readonly vault: PersonalData,
    @Inject(SITE_ADAPTER) private readonly site: SiteAdapter,
    @Inject(PROVIDER_REGISTRY) private readonly registry: ProviderRegistry,
    @Inject(takedownConfig.KEY) private readonly config: TakedownConfig,
    @Inject(appConfig.KEY) private readonly app: AppConfig,
    private readonly transitions: CaseTransitionsService,
    private readonly notifiers: NotifierStandingsService,
  ) {}

  async route(caseId: string): Promise<void> {
    // The case with its hold flags as they stand now (heldFor), in one statement; both are read again below.
    const [first] = await this.dataSource.query<(CaseRow & { held: string[] | null })[]>(
      `SELECT id, reference, status, kind, status_token, language, checklist, search_terms, routed_at,
              ${HELD_FLAGS} AS held
       FROM cases WHERE id = $1`,
      [caseId, HOLD_FLAGS, STICKY_HOLD_FLAGS],
    );
    if (!first || first.routed_at) return;
    // The site adapter may be slow or remote (a CMS webhook): ask it before the transaction, not inside it.
    const matches = await this.site.searchPages(first.search_terms, SEARCH_MATCH_LIMIT);
    const plan = isActionable(first) && !first.held?.length ? await this.plan(first.id) : undefined;

    const routed = await this.dataSource.transaction(async (m): Promise<Routed | undefined> => {
      const [kase] = await m.query<CaseRow[]>(`${CASE_SELECT} WHERE id = $1 FOR UPDATE`, [caseId]);
      if (!kase || kase.routed_at) return undefined; // another worker routed it meanwhile
      const held = await this.heldFor(m, kase.id);
      if (held.length > 0) {
        await this.markRouted(m, kase.id, matches);
        const { status } = await this.transitions.proposeUnlessStaffActed(m, kase, CaseStatus.InReview, 'worker');
        await audit(m, kase.id, 'worker', 'case.held_for_review', { flags: held });
        return { reference: kase.reference, status, outcome: 'held_for_review' };
      }
      // A suspended notifier's notice is kept (intake stored it) but not acted on: staff decide it, and the sender
      // is told why nothing happens.
      const suspension = await this.notifiers.suspensionFor(m, kase.id);
      if (suspension) {
        await this.markRouted(m, kase.id, matches);
        const { status } = await this.transitions.proposeUnlessStaffActed(m, kase, CaseStatus.InReview, 'worker');
        await audit(m, kase.id, 'worker', 'case.held_notifier_suspended', {
          standing: suspension.standingId,
          until: suspension.until.toISOString(),
        });
        await this.notifiers.tellHeld(m, kase, suspension, await this.occasion(m, kase.id));
        return { reference: kase.reference, status, outcome: 'held_notifier_suspended' };
      }
      const letterCase = {
        id: kase.id,
        reference: kase.reference,
        statusToken: kase.status_token,
        language: kase.language,
      };
      const recipient = await complainantAddress(m, this.vault, kase.id);
      const occasion = await this.occasion(m, kase.id);

      let proposed = kase.status;
      let deficiencyLetter = false;
      // The referral letter (when there is one) and the receipt are recorded together, in that order: one batch of
      // statements for both rather than one for each.
      const letters: LetterToRecord[] = [];
      if (plan) {
        proposed = await this.routeComplete(m, kase, plan, recipient, occasion, letters);
      } else if (
        kase.kind === 'takedown' &&
        DEFICIENCY_LETTER_NEEDS.every((e) => kase.checklist.elements[e]?.present)
      ) {
        await this.letters.record(m, letterCase, LetterKind.Deficiency, occasion, recipient, {
          missing: kase.checklist.missing.map((e) => ({ name: e, ...ELEMENT_LABELS[e] })),
        });
        await audit(m, kase.id, 'worker', 'letter.deficiency_recorded', { missing: kase.checklist.missing });
        deficiencyLetter = true;
      }
      letters.push({
        kind: LetterKind.Receipt,
        occasion,
        given: recipient,
        context: {
          kind: kase.kind,
          complete: kase.checklist.complete,
          deficiencyLetter,
          missing: kase.checklist.missing.map((e) => ({ name: e, ...ELEMENT_LABELS[e] })),
        },
      });
      await this.letters.recordMany(m, letterCase, letters);
      await this.markRouted(m, kase.id, matches);
      const { status } = await this.transitions.proposeUnlessStaffActed(m, kase, proposed, 'worker');
      await audit(m, kase.id, 'worker', 'case.routed', { status, searchMatches: matches.length });
      return { reference: kase.reference, status, outcome: 'routed' };
    });
    if (routed) {
      this.logger.log(
        `Case ${routed.reference} routed: ${routed.outcome}, now ${routed.status}`,
        eventFields(LogEvent.CaseRouted, { caseId, ...routed }),
      );
    }
  }

  private async markRouted(m: EntityManager, caseId: string, matches: unknown[]): Promise<void> {
    await m.query(`UPDATE cases SET routed_at = now(), search_matches = $2 WHERE id = $1`, [
      caseId,
      JSON.stringify(matches),
    ]);
  }

  /**
   * Why the case is held for review, if it is: the hold flags of its newest notice (the one this routing is for;
   * an earlier flagged notice stays flagged for staff but does not hold a later clean one, see notice-flags.ts),
   * and a counter-notice on any of its notices.
   */
  private async heldFor(m: EntityManager, caseId: string): Promise<string[]> {
    const [row] = await m.query<{ flags: string[] | null }[]>(`SELECT ${HELD_FLAGS} AS flags`, [
      caseId,
      HOLD_FLAGS,
      STICKY_HOLD_FLAGS,
    ]);
    return row?.flags ?? [];
  }

  /**
   * The dedupe occasion of this routing's letters: '1' for the first, the notice count after a revision. The case
   * row is locked, so a routing and a revision cannot interleave.
   */
  private async occasion(m: EntityManager, caseId: string): Promise<string> {
    const [row] = await m.query<{ n: number }[]>(`SELECT count(*)::int AS n FROM notices WHERE case_id = $1`, [caseId]);
    return String(Math.max(1, row?.n ?? 1));
  }

  /**
   * The case's actionable links and what the site has for them: the pending infringing links the complainant sent,
   * or, after a staff approval, the links staff approved (their choice stands over the sorter's roles and flags).
   */
  private async plan(caseId: string, approved = false): Promise<RoutingPlan> {
    const links = await this.dataSource.query<LinkRow[]>(
      approved
        ? `SELECT id, url, classification, provider FROM reported_links WHERE case_id = $1 AND status = 'approved'`
        : `SELECT id, url, classification, provider FROM reported_links l
           WHERE case_id = $1 AND status = 'pending' AND role = 'infringing'
             AND NOT EXISTS (SELECT 1 FROM notices n WHERE n.id = l.notice_id AND n.flags && $2::text[])`,
      approved ? [caseId] : [caseId, NOT_THE_COMPLAINANT],
    );
    const internal = links.filter((l) => l.classification === 'internal');
    const disk = links.filter((l) => l.classification === 'external_disk');
    const ours = await this.site.findInternal(internal.map((l) => l.url));
    const outbound = await this.site.findOutbound(disk.map((l) => l.url));
    return { links, internal, disk, ours, outbound };
  }

  /**
   * Acts on the links a staff member approved (TriageService.approve): takedowns due now for what the site has,
   * not_found for what it does not, referrals for storage files. Safe to repeat: takedowns and referrals are unique
   * and the referral letter is keyed by the approval. It always ends with a takedowns.scheduled event naming the
   * approval, with counts of 0 when nothing approved is left (a sweep took the links down first): the reconciler
   * reads that event as "done".
   */
  async applyApproval(caseId: string, approval: string): Promise<void> {
    const plan = await this.plan(caseId, true);
    if (plan.links.length === 0) {
      await this.dataSource.transaction(async (m) => {
        const [kase] = await m.query<{ id: string }[]>(`SELECT id FROM cases WHERE id = $1 FOR UPDATE`, [caseId]);
        if (!kase) return;
        await audit(m, kase.id, 'worker', 'takedowns.scheduled', {
          approval,
          takedowns: 0,
          internalNotFound: 0,
          outboundLinks: 0,
        });
        // The approval may have released takedowns of our links to referred files, which move no link status.
        await this.outbox.enqueue(m, [
          { queue: QueueName.Takedowns, name: JobName.SweepDueTakedowns, data: { caseId: kase.id, after: approval } },
        ]);
      });
      return;
    }
    await this.dataSource.transaction(async (m) => {
      const [kase] = await m.query<CaseRow[]>(`${CASE_SELECT} WHERE id = $1 FOR UPDATE`, [caseId]);
      if (!kase) return;
      const recipient = await complainantAddress(m, this.vault, kase.id);
      // Takedowns the approval released from hold are a round already (`approval-<id>`), which a sweep may have
      // finished before this job ran: what is made here falls due now, as a round of its own.
      const created = await this.createTakedowns(m, plan.links, this.targets(plan), false, `applied-${approval}`);
      const found = new Set(plan.ours.map((s) => s.url));
      const missing = plan.internal.filter((l) => !found.has(l.url)).map((l) => l.id);
      await this.refer(m, kase, plan, recipient, `approval-${approval}`, false);
      await moveLinks(m, {
        caseId: kase.id,
        actor: 'worker',
        moves: [{ linkIds: missing, to: LinkStatus.NotFound }],
        onRefused: 'skip',
        event: {
          action: 'takedowns.scheduled',
          detail: {
            approval,
            takedowns: created,
            internalNotFound: missing.length,
            outboundLinks: plan.outbound.length,
          },
        },
      });
      await this.outbox.enqueue(m, [
        { queue: QueueName.Takedowns, name: JobName.SweepDueTakedowns, data: { caseId: kase.id, after: approval } },
      ]);
    });
  }

  private targets(plan: RoutingPlan): { s: SiteLink; reason: TakedownReason }[] {
    return [
      ...plan.ours.map((s) => ({ s, reason: TakedownReason.Reported })),
      ...plan.outbound.map((s) => ({ s, reason: TakedownReason.OutboundLink })),
    ];
  }

  private async routeComplete(
    m: EntityManager,
    kase: CaseRow,
    plan: RoutingPlan,
    recipient: string | null,
    occasion: string,
    letters: LetterToRecord[],
  ): Promise<CaseStatus> {
    const { links, internal, ours, outbound } = plan;
    // Who may cause a removal without a person looking: the auto-action policy (auto-action-policy.ts).
    const perPage = new Map<string, number>();
    for (const s of ours) perPage.set(s.url, (perPage.get(s.url) ?? 0) + 1);
    const policy = autoActionDecision(
      {
        standing: await senderStanding(
          m,
          kase.id,
          (email) => recipientHash(this.app.secret, email),
          async (sealed) => (await this.vault.open(m, [sealed]))[0] ?? null,
        ),
        urls: links.length,
        downloads: ours.length + outbound.length,
        largestPage: Math.max(0, ...[...perPage.values()].filter((n) => n > 1)),
      },
      this.config,
    );
    const hold = !policy.act;
    // Held takedowns join a round when staff approve them (TriageService.approve).
    const created = await this.createTakedowns(m, links, this.targets(plan), hold, hold ? null : `routing-${occasion}`);

    const found = new Set(ours.map((s) => s.url));
    const missing = internal.filter((l) => !found.has(l.url)).map((l) => l.id);
    const scheduled = internal.filter((l) => found.has(l.url)).map((l) => l.id);

    const referred = await this.refer(m, kase, plan, recipient, occasion, hold, letters);
    await moveLinks(m, {
      caseId: kase.id,
      actor: 'worker',
      moves: [
        { linkIds: missing, to: LinkStatus.NotFound },
        { linkIds: hold ? [] : scheduled, to: LinkStatus.Approved },
      ],
      onRefused: 'skip',
      event: {
        action: 'takedowns.scheduled',
        detail: {
          takedowns: created,
          internalNotFound: missing.length,
          outboundLinks: outbound.length,
          awaitingApproval: hold,
          policy: { standing: policy.standing, reason: policy.reason },
        },
      },
    });
    if (created > 0 && !hold && this.config.delaySeconds === 0) {
      await this.outbox.enqueue(m, [
        { queue: QueueName.Takedowns, name: JobName.SweepDueTakedowns, data: { caseId: kase.id } },
      ]);
    }
    return routedStatus(created, referred, hold);
  }

  private async createTakedowns(
    m: EntityManager,
    links: LinkRow[],
    targets: { s: SiteLink; reason: TakedownReason }[],
    hold: boolean,
    round: string | null,
  ): Promise<number> {
    const linkId = new Map(links.map((l) => [l.url, l.id]));
    const rows = targets.filter(({ s }) => linkId.has(s.url));
    if (rows.length === 0) return 0;
    const inserted: unknown[] = await m.query(
      `INSERT INTO takedowns (case_id, reported_link_id, site_ref, reason, status, due_at, round)
       SELECT (SELECT case_id FROM reported_links WHERE id = t.link_id), t.link_id, t.ref, t.reason, $4::takedown_status,
              CASE WHEN $4::takedown_status = 'pending' THEN now() + make_interval(secs => $5::int) END, $6::text
       FROM unnest($1::uuid[], $2::text[], $3::takedown_reason[]) AS t(link_id, ref, reason)
       ON CONFLICT (reported_link_id, site_ref) DO NOTHING RETURNING id`,
      [
        rows.map(({ s }) => linkId.get(s.url)),
        rows.map(({ s }) => s.ref),
        rows.map(({ reason }) => reason),
        hold ? TakedownStatus.AwaitingApproval : TakedownStatus.Pending,
        this.config.delaySeconds,
        round,
      ],
    );
    return inserted.length;
  }

  /**
   * Returns how many providers the links were referred to. The letter says what becomes of our own links to those
   * files (the outbound takedowns just made): removed after the delay, or once staff have approved it. Given
   * `letters`, the letter is added to them for the caller to record with its others; else it is recorded here.
   */
  private async refer(
    m: EntityManager,
    kase: CaseRow,
    plan: Pick<RoutingPlan, 'disk' | 'outbound'>,
    recipient: string | null,
    occasion: string,
    held: boolean,
    letters?: LetterToRecord[],
  ): Promise<number> {
    const { disk } = plan;
    const groups = referralGroups(disk, this.registry);
    if (groups.length === 0) return 0;
    await m.query(
      `INSERT INTO referrals (case_id, provider, link_count, channel)
       SELECT $1, * FROM unnest($2::text[], $3::int[], $4::jsonb[]) ON CONFLICT (case_id, provider) DO NOTHING`,
      [
        kase.id,
        groups.map((g) => g.id),
        groups.map((g) => g.links.length),
        groups.map((g) => JSON.stringify(g.channel)),
      ],
    );
    const letter: LetterToRecord = {
      kind: LetterKind.Referral,
      occasion,
      given: recipient,
      context: { providers: groups, ourLinks: { count: plan.outbound.length, held } },
    };
    if (letters) letters.push(letter);
    else {
      await this.letters.recordMany(
        m,
        { id: kase.id, reference: kase.reference, statusToken: kase.status_token, language: kase.language },
        [letter],
      );
    }
    // A link staff decided on since the plan was read (a rejection, say) keeps their decision: the workflow refuses
    // the move, and the refusal is in the audit log.
    await moveLinks(m, {
      caseId: kase.id,
      actor: 'worker',
      moves: [{ linkIds: disk.filter((l) => l.provider).map((l) => l.id), to: LinkStatus.Referred }],
      onRefused: 'skip',
      event: {
        action: 'referrals.recorded',
        detail: { providers: groups.map((g) => ({ provider: g.id, links: g.links.length })) },
      },
    });
    return groups.length;
  }
}

function isActionable(kase: CaseRow): boolean {
  return kase.kind === 'takedown' && kase.checklist.complete;
}
