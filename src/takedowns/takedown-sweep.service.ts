import type { Locale } from '../core/i18n/locales';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { audit, systemText } from '../cases/audit';
import { complainantAddress } from '../cases/complainant-address';
import { checkLinks, moveLinks, recordRefusal } from '../cases/link-transitions';
import { canMoveLink } from '../cases/link-workflow';
import { LinkStatus } from '../cases/reported-link.entity';
import { type TakedownConfig, takedownConfig, type AppConfig, appConfig } from '../core/config';
import { messageOf } from '../core/error-message';
import { eventFields, LogEvent } from '../core/logging/log-event';
import { WorkerShutdown } from '../core/queue/worker-shutdown';
import { LetterKind } from '../letters/letter.entity';
import { LettersService } from '../letters/letters.service';
import { uploaderLetterContexts } from '../letters/uploader-letter';
import { removedByUploader, takedownDoneContext, uploadedLinks } from '../letters/removed-links';
import { SITE_ADAPTER, type SiteAdapter, type SiteLink, type TakedownOutcome } from '../site/site-adapter';
import { groupBy, removedLink, uploaderOf } from './sweep-rows';
import { type RemovedUploader, TakedownReason } from './takedown.entity';
import { ERASED, PersonalData } from '../core/privacy/personal-data.service';
import { type StrikeCount, StrikeLedger } from '../strikes/strike-ledger.service';

interface ClaimedRow {
  id: string;
  case_id: string;
  reference: string;
  status_token: string;
  language: Locale;
  site_ref: string;
  reported_link_id: string;
  reason: TakedownReason;
  url: string;
  /** The reported link's status when the batch was claimed. */
  link_status: LinkStatus;
  /** The round of removals (takedown.entity.ts); a takedown made before rounds is a round of its own. */
  round: string;
  attempts: number;
  /** claimed_until as Postgres wrote it, to the microsecond: the token that proves the rows are still ours. */
  lease: string;
}

/** After this many failed tries a takedown is marked failed for staff to look at, not retried forever. */
export const MAX_TAKEDOWN_ATTEMPTS = 6;
const RETRY_BASE_SECONDS = 60;
export interface SweepResult {
  done: number;
  notFound: number;
  failed: number;
  retrying: number;
}

/**
 * Removes the links whose takedowns have fallen due, a batch at a time. A batch is claimed with a lease
 * (claimed_until, SKIP LOCKED) in one short statement; the site is called outside any transaction; each case's
 * results are recorded in a short transaction of their own; SWEEP_CONCURRENCY cases at a time, whose failures are
 * their own. Any number of workers may sweep at once.
 *
 * The lease (SWEEP_LEASE_SECONDS) is how long a worker that dies mid-batch holds its rows; then another worker takes
 * them up (adapter actions are idempotent, so a case whose removal had begun is asked again, never marked twice).
 * A live worker hands back what it has not reached by half of the lease, or as soon as it is told to shut down.
 */
@Injectable()
export class TakedownSweepService {
  private readonly logger = new Logger(TakedownSweepService.name);

  constructor(
    private readonly dataSource: DataSource,
    private readonly letters: LettersService,
    private readonly vault: PersonalData,
    private readonly strikes: StrikeLedger,
    private readonly shutdown: WorkerShutdown,
    @Inject(SITE_ADAPTER) private readonly site: SiteAdapter,
    @Inject(takedownConfig.KEY) private readonly config: TakedownConfig,
    @Inject(appConfig.KEY) private readonly app: AppConfig,
  ) {}

  async sweep(): Promise<SweepResult> {
    const total: SweepResult = { done: 0, notFound: 0, failed: 0, retrying: 0 };
    while (!this.shutdown.requested) {
      const batch = await this.sweepBatch();
      if (!batch) break;
      total.done += batch.done;
      total.notFound += batch.notFound;
      total.failed += batch.failed;
      total.retrying += batch.retrying;
    }
    if (total.done + total.notFound + total.failed + total.retrying > 0) {
      this.logger.log(`Sweep: ${JSON.stringify(total)}`);
    }
    return total;
  }

  private async sweepBatch(): Promise<SweepResult | undefined> {
    const handBackAt = Date.now() + (this.config.sweepLeaseSeconds * 1000) / 2;
    const rows = await this.claim();
    if (rows.length === 0) return undefined;

    const result: SweepResult = { done: 0, notFound: 0, failed: 0, retrying: 0 };
    const groups = groupBy(rows, (r) => r.case_id);
    // SWEEP_CONCURRENCY lanes take the batch's cases in turn, each case in a transaction of its own.
    let next = 0;
    let failure: { error: unknown } | undefined;
    const lane = async (): Promise<void> => {
      while (next < groups.length && !failure) {
        // A slow site, or a worker on its way out: let the next claim (ours or another worker's) take the rest.
        if (Date.now() > handBackAt || this.shutdown.requested) return;
        const group = groups[next++];
        try {
          const counts = await this.processGroup(group);
          result.done += counts.done;
          result.notFound += counts.notFound;
          result.failed += counts.failed;
          result.retrying += counts.retrying;
        } catch (error) {
          // Nothing recorded for this case; the lanes stop taking cases, and the batch's lease runs out.
          failure ??= { error };
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(this.config.sweepConcurrency, groups.length) }, lane));
    if (failure) throw failure.error;
    await this.release(groups.slice(next).flat());
    return result;
  }

  /**
   * Leases up to a batch of due takedowns; an expired lease counts as none. Takedowns due at the same moment (a
   * notice's, routed together) are taken case by case, so that a case's round is not cut across batches for no reason.
   */
  private claim(): Promise<ClaimedRow[]> {
    // A CTE, because TypeORM answers a bare UPDATE ... RETURNING with [rows, count] rather than rows.
    return this.dataSource.query<ClaimedRow[]>(
      `WITH claimed AS (
         UPDATE takedowns SET claimed_until = now() + make_interval(secs => $2)
         WHERE id IN (
           SELECT id FROM takedowns
           WHERE status = 'pending' AND due_at <= now() AND (claimed_until IS NULL OR claimed_until < now())
           ORDER BY due_at, case_id LIMIT $1 FOR UPDATE SKIP LOCKED)
         RETURNING id, case_id, site_ref, reported_link_id, reason, attempts, claimed_until, round)
       SELECT t.id, t.case_id, c.reference, c.status_token, c.language, t.site_ref, t.reported_link_id, t.reason, l.url,
              l.status AS link_status, COALESCE(t.round, t.id::text) AS round, t.attempts,
              t.claimed_until::text AS lease
       FROM claimed t JOIN cases c ON c.id = t.case_id JOIN reported_links l ON l.id = t.reported_link_id`,
      [this.config.sweepBatchSize, this.config.sweepLeaseSeconds],
    );
  }

  private async release(rows: ClaimedRow[]): Promise<void> {
    if (rows.length === 0) return;
    await this.dataSource.query(
      `UPDATE takedowns SET claimed_until = NULL WHERE id = ANY($1::uuid[]) AND claimed_until = $2::timestamptz`,
      [rows.map((r) => r.id), rows[0].lease],
    );
  }

  /**
   * One case's takedowns: whatever goes wrong is recorded against them alone, and the other cases go on. A reported
   * link the workflow would not let us mark taken down (staff rejected it, say) is not removed from the site at all.
   */
  private async processGroup(claimed: ClaimedRow[]): Promise<SweepResult> {
    const counts: SweepResult = { done: 0, notFound: 0, failed: 0, retrying: 0 };
    const refused = claimed.filter(
      (r) =>
        r.reason === TakedownReason.Reported &&
        r.link_status !== LinkStatus.TakenDown &&
        !canMoveLink(r.link_status, LinkStatus.TakenDown),
    );
    if (refused.length > 0) {
      const failed = await this.dataSource.transaction((m) => this.recordRefused(m, refused));
      counts.failed += failed;
      if (failed > 0) {
        this.logger.warn(
          `Takedown for ${refused[0].reference} failed: the link workflow refused ${failed} link(s)`,
          eventFields(LogEvent.TakedownFailed, { ...this.ids(refused), giveUp: failed, retry: 0 }),
        );
      }
    }
    const group = claimed.filter((r) => !refused.includes(r));
    if (group.length === 0) return counts;
    try {
      const outcomes = await this.site.takeDown(
        group.map((r) => r.site_ref),
        group[0].reference,
      );
      const done = group.filter((r) => outcomes.get(r.site_ref) === 'done');
      const live = await this.site.stillLive(done.map((r) => r.site_ref));
      const uploaded = await uploadedLinks(this.site, done.map(removedLink));
      const recorded = await this.dataSource.transaction((m) => this.recordResults(m, group, outcomes, live, uploaded));
      if (recorded.done + recorded.notFound > 0) {
        this.logger.log(
          `Takedown for ${group[0].reference} done: ${recorded.done} removed, ${recorded.notFound} not found`,
          eventFields(LogEvent.TakedownDone, { ...this.ids(group), ...recorded }),
        );
      }
      return { ...counts, ...recorded };
    } catch (error) {
      try {
        const failed = await this.dataSource.transaction((m) => this.recordFailure(m, group, error));
        return { ...counts, failed: counts.failed + failed.failed, retrying: failed.retrying };
      } catch (recordError) {
        // Nothing recorded: the lease runs out and a later sweep tries these rows again.
        this.logger.error(
          `Could not record the failed takedown for ${group[0].reference}: ${messageOf(recordError)} (after ${messageOf(error)})`,
        );
        return { ...counts, retrying: group.length };
      }
    }
  }

  /** A case's takedowns as their line names them. */
  private ids(rows: ClaimedRow[]) {
    return { caseId: rows[0].case_id, reference: rows[0].reference, takedowns: rows.length };
  }

  /**
   * Takedowns whose link the workflow refuses to mark taken down: failed with the reason, for staff, and the refusal
   * in the audit log. A link that became approved since the claim goes back to the next sweep.
   */
  private async recordRefused(m: EntityManager, group: ClaimedRow[]): Promise<number> {
    const ours = await this.stillOurs(m, group);
    if (ours.length === 0) return 0;
    const caseId = ours[0].case_id;
    const { refused } = await checkLinks(
      m,
      caseId,
      ours.map((r) => r.reported_link_id),
      LinkStatus.TakenDown,
    );
    const statusOf = new Map(refused.map((l) => [l.id, l.status]));
    const fail = ours.filter((r) => statusOf.has(r.reported_link_id));
    const back = ours.filter((r) => !statusOf.has(r.reported_link_id));
    await m.query(`UPDATE takedowns SET claimed_until = NULL WHERE id = ANY($1::uuid[])`, [back.map((r) => r.id)]);
    if (fail.length === 0) return 0;
    const errors = fail.map(
      (r) =>
        `The link is ${statusOf.get(r.reported_link_id)}: the link workflow does not let it be taken down, so it was not removed from the site.`,
    );
    await m.query(
      `UPDATE takedowns t SET status = 'failed', attempts = attempts + 1, claimed_until = NULL, last_error = e.error
       FROM unnest($1::uuid[], $2::text[]) AS e(id, error) WHERE t.id = e.id`,
      [fail.map((r) => r.id), errors],
    );
    await audit(m, caseId, 'worker', 'takedowns.failed', {
      error: systemText(errors[0]),
      giveUp: fail.length,
      retry: 0,
    });
    await recordRefusal(
      m,
      caseId,
      'worker',
      'takedowns.failed',
      refused.map((l) => ({ ...l, to: LinkStatus.TakenDown })),
    );
    await this.finishRounds(m, fail[0], fail);
    return fail.length;
  }

  /**
   * Locks the rows of the group still leased to us; a row whose lease ran out belongs to another sweep now. The case
   * row is locked first, as every writer of a case's takedowns does (the router, staff approval): taking the
   * takedowns first, then the case (the audit insert's key share), deadlocked with an approval.
   */
  private async stillOurs(m: EntityManager, group: ClaimedRow[]): Promise<ClaimedRow[]> {
    await m.query(`SELECT 1 FROM cases WHERE id = $1 FOR UPDATE`, [group[0].case_id]);
    const rows = await m.query<{ id: string }[]>(
      `SELECT id FROM takedowns
       WHERE id = ANY($1::uuid[]) AND status = 'pending' AND claimed_until = $2::timestamptz FOR UPDATE`,
      [group.map((r) => r.id), group[0].lease],
    );
    const ids = new Set(rows.map((r) => r.id));
    if (ids.size < group.length) {
      this.logger.warn(`Lease lost on ${group.length - ids.size} takedown(s) of ${group[0].reference}`);
    }
    return group.filter((r) => ids.has(r.id));
  }

  private async recordResults(
    m: EntityManager,
    group: ClaimedRow[],
    outcomes: Map<string, TakedownOutcome>,
    live: Set<string>,
    uploaded: Map<string, SiteLink>,
  ): Promise<{ done: number; notFound: number }> {
    const ours = await this.stillOurs(m, group);
    if (ours.length === 0) return { done: 0, notFound: 0 };
    const done = ours.filter((r) => outcomes.get(r.site_ref) === 'done');
    const notFound = ours.filter((r) => outcomes.get(r.site_ref) !== 'done');
    const withUploader = done.filter((r) => uploaded.get(r.site_ref)?.uploaderEmail);
    // A case's links share a few uploaders: each address's subject is looked up, and its address sealed, once.
    const who = withUploader.map((r) => uploaderOf(uploaded.get(r.site_ref))!);
    const addresses = [...new Set(who.map((w) => w.email))];
    const subjectIds = await this.vault.subjects(m, addresses);
    const sealed = await this.vault.sealMany(
      m,
      addresses.map((email, i) => ({ subjectId: subjectIds[i], values: [email] })),
    );
    const sealedOf = new Map(
      addresses.map((email, i) => [email, { email: sealed[i][0]!, emailHash: this.vault.hashEmail(email) }]),
    );
    const uploaderOfRow = new Map(
      withUploader.map((r, i) => [r.id, JSON.stringify({ ...who[i], ...sealedOf.get(who[i].email) })]),
    );
    // 512(i): one strike per uploader account for the case's notice, whichever of their links it removed.
    const struck = done
      .map((r) => ({ id: r.id, uploader: uploaded.get(r.site_ref) }))
      .filter((r) => r.uploader?.uploaderId);
    const accountOf = new Map(struck.map((r) => [r.id, r.uploader!.uploaderId!]));
    // Every row's outcome in one statement: done (verified unless the site still serves it) or not found; the
    // uploader and account of a removed link where the site names them.
    await m.query(
      `UPDATE takedowns t SET status = u.status, attempts = t.attempts + 1, claimed_until = NULL,
              done_at = CASE WHEN u.status = 'done' THEN now() ELSE t.done_at END,
              verified_at = CASE WHEN u.status <> 'done' THEN t.verified_at WHEN u.live THEN NULL ELSE now() END,
              uploader = COALESCE(u.uploader, t.uploader), uploader_id = COALESCE(u.uploader_id, t.uploader_id)
       FROM unnest($1::uuid[], $2::takedown_status[], $3::boolean[], $4::jsonb[], $5::text[])
         AS u(id, status, live, uploader, uploader_id)
       WHERE t.id = u.id`,
      [
        ours.map((r) => r.id),
        ours.map((r) => (outcomes.get(r.site_ref) === 'done' ? 'done' : 'not_found')),
        ours.map((r) => live.has(r.site_ref)),
        ours.map((r) => uploaderOfRow.get(r.id) ?? null),
        ours.map((r) => accountOf.get(r.id) ?? null),
      ],
    );
    const strikeCounts =
      struck.length > 0
        ? await this.strikes.record(
            m,
            ours[0].case_id,
            struck.map((r) => ({ uploaderId: r.uploader!.uploaderId!, email: r.uploader!.uploaderEmail ?? null })),
          )
        : new Map<string, StrikeCount>();
    // An outbound-link takedown removes our link to a file elsewhere; that file stays up, so its referral stands.
    const reported = done.filter((r) => r.reason === TakedownReason.Reported);
    const outbound = done.filter((r) => r.reason === TakedownReason.OutboundLink);
    // The site has removed them: a link the workflow refuses (staff changed it under a lost lease) keeps its
    // status, and the refusal is in the audit log beside this takedowns.done.
    await moveLinks(m, {
      caseId: ours[0].case_id,
      actor: 'worker',
      moves: [{ linkIds: reported.map((r) => r.reported_link_id), to: LinkStatus.TakenDown }],
      onRefused: 'skip',
      event: {
        action: 'takedowns.done',
        detail: {
          done: done.length,
          notFound: notFound.length,
          unverified: done.filter((r) => live.has(r.site_ref)).length,
          outboundLinksRemoved: outbound.length,
        },
      },
    });
    await this.finishRounds(m, ours[0], ours, strikeCounts);
    return { done: done.length, notFound: notFound.length };
  }

  private async recordFailure(
    m: EntityManager,
    group: ClaimedRow[],
    error: unknown,
  ): Promise<{ failed: number; retrying: number }> {
    const message = messageOf(error).slice(0, 500);
    const ours = await this.stillOurs(m, group);
    if (ours.length === 0) return { failed: 0, retrying: 0 };
    const giveUp = ours.filter((r) => r.attempts + 1 >= MAX_TAKEDOWN_ATTEMPTS);
    const retry = ours.filter((r) => r.attempts + 1 < MAX_TAKEDOWN_ATTEMPTS);
    this.logger.warn(
      `Takedown for ${group[0].reference} failed: ${message}`,
      eventFields(LogEvent.TakedownFailed, { ...this.ids(ours), giveUp: giveUp.length, retry: retry.length }),
    );
    await m.query(
      `UPDATE takedowns SET attempts = attempts + 1, last_error = $2, claimed_until = NULL,
              status = CASE WHEN id = ANY($3::uuid[]) THEN 'failed'::takedown_status ELSE status END,
              due_at = now() + make_interval(secs => $4 * power(2, attempts))
       WHERE id = ANY($1::uuid[])`,
      [ours.map((r) => r.id), message, giveUp.map((r) => r.id), RETRY_BASE_SECONDS],
    );
    await audit(m, ours[0].case_id, 'worker', 'takedowns.failed', {
      error: systemText(message),
      giveUp: giveUp.length,
      retry: retry.length,
    });
    if (giveUp.length > 0) await this.finishRounds(m, ours[0], giveUp);
    return { failed: giveUp.length, retrying: retry.length };
  }

  /**
   * The letters of each round these rows belong to, once the round has no takedown left pending: one to the
   * complainant and, 512(g)(2)(A), one to each uploader, each listing every link the round removed, however many
   * batches (or workers) that took. Called under the case's lock, so the round's last batch sees the others'
   * results; letters are keyed by round and recipient, so a round is told once.
   */
  private async finishRounds(
    m: EntityManager,
    first: ClaimedRow,
    rows: ClaimedRow[],
    /** The strikes this transaction just recorded, and the counts they left: a round of these accounts alone is told them. */
    recorded = new Map<string, StrikeCount>(),
  ): Promise<void> {
    const letterCase = {
      id: first.case_id,
      reference: first.reference,
      statusToken: first.status_token,
      language: first.language,
    };
    for (const round of new Set(rows.map((r) => r.round))) {
      const removed = await m.query<RoundRow[]>(
        `SELECT t.site_ref, t.reason, l.url, t.uploader, t.uploader_id FROM takedowns t
         JOIN reported_links l ON l.id = t.reported_link_id
         WHERE t.case_id = $1 AND COALESCE(t.round, t.id::text) = $2 AND t.status = 'done'
           AND NOT EXISTS (SELECT 1 FROM takedowns p
                           WHERE p.case_id = $1 AND COALESCE(p.round, p.id::text) = $2 AND p.status = 'pending')
         ORDER BY l.position, t.site_ref`,
        [first.case_id, round],
      );
      if (removed.length === 0) continue;
      const addresses = await this.vault.open(
        m,
        removed.map((r) => r.uploader?.email),
        { includeWithheld: true },
      );
      removed.forEach((r, i) => {
        if (r.uploader) r.uploader = { ...r.uploader, email: addresses[i] === ERASED ? '' : addresses[i]! };
      });
      const links = removed.map(removedLink);
      const at = new Date();
      const complainant = await complainantAddress(m, this.vault, first.case_id);
      const uploaded = new Map<string, SiteLink>(
        removed
          .filter((r) => r.uploader)
          .map((r) => [
            r.site_ref,
            {
              ref: r.site_ref,
              url: r.url,
              label: r.uploader?.label ?? undefined,
              pageUrl: r.uploader?.pageUrl ?? undefined,
              uploaderEmail: r.uploader?.email,
            },
          ]),
      );
      // Each letter tells its uploader where their accounts stand under the repeat-infringer policy.
      const accountsOf = new Map<string, Set<string>>();
      for (const r of removed) {
        const email = r.uploader?.email.trim().toLowerCase();
        if (email && r.uploader_id) accountsOf.set(email, (accountsOf.get(email) ?? new Set()).add(r.uploader_id));
      }
      const accounts = [...accountsOf.values()].flatMap((ids) => [...ids]);
      const strikeCounts = accounts.every((id) => recorded.has(id)) ? recorded : await this.strikes.counts(m, accounts);
      // It names the case, who claimed which work, and nothing of the complainant's contact details.
      const byUploader = [...removedByUploader(links, uploaded)];
      const about = await uploaderLetterContexts(
        m,
        this.vault,
        letterCase,
        byUploader.map(([email, upload]) => ({ email, removedUrls: upload.map((l) => l.url) })),
        this.app.publicUrl,
      );
      // The round's letters in one batch: the complainant's first, then each uploader's.
      await this.letters.recordMany(m, letterCase, [
        {
          kind: LetterKind.TakedownDone,
          occasion: `round:${round}`,
          given: complainant,
          context: takedownDoneContext(links, at),
        },
        ...byUploader.map(([email, upload], i) => ({
          kind: LetterKind.Uploader,
          occasion: `round:${round}:${this.vault.hashEmail(email)}`,
          given: email,
          context: {
            removed: upload,
            at,
            ...about[i],
            // Art. 17(3)(c): a round staff approved was reviewed by a person; a routing round was not.
            reviewed: round.startsWith('approval-'),
            strikes: strikeNotice(strikeCounts, accountsOf.get(email) ?? new Set<string>(), {
              expiryDays: this.strikes.expiryDays,
              policyUrl: `${this.app.publicUrl}/policy/repeat-infringers`,
            }),
          },
        })),
      ]);
    }
  }
}

/**
 * What the uploader's letter says of their strikes: the count of the account with most (an address may stand for
 * several), the threshold, the soonest expiry, and whether it reached the threshold. Null when the site named no
 * account, so no strike was counted.
 */
export function strikeNotice(
  counts: Map<string, StrikeCount>,
  accounts: Set<string>,
  policy: { expiryDays: number; policyUrl: string },
): object | null {
  const mine = [...accounts].flatMap((id) => (counts.has(id) ? [counts.get(id)!] : []));
  if (mine.length === 0) return null;
  const worst = mine.reduce((a, b) => (b.active > a.active ? b : a));
  return {
    active: worst.active,
    threshold: worst.threshold,
    expiryDays: policy.expiryDays,
    policyUrl: policy.policyUrl,
    nextExpiry: worst.expiries[0] ?? null,
    reachedThreshold: worst.active >= worst.threshold,
  };
}

interface RoundRow {
  site_ref: string;
  reason: TakedownReason;
  url: string;
  uploader: RemovedUploader | null;
  uploader_id: string | null;
}
