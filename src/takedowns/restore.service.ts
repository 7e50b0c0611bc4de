import { Inject, Injectable, Logger } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { audit } from '../cases/audit';
import { eventFields, LogEvent } from '../core/logging/log-event';
import { SITE_ADAPTER, type SiteAdapter } from '../site/site-adapter';
import { StrikeVoidReason } from '../strikes/strike.entity';
import { StrikeLedger } from '../strikes/strike-ledger.service';
import { type OtherTakedown, restorePlan } from './restore-plan';
import { TakedownStatus } from './takedown.entity';

/** How often the cases to lock may change under us before the job gives up this try and retries later. */
const LOCK_ROUNDS = 3;

/** Every status of another takedown whose case must be locked: HOLDS_DOWN, and what an approval makes pending. */
const LOCKED_STATUSES = [TakedownStatus.Done, TakedownStatus.Pending, TakedownStatus.AwaitingApproval];

/**
 * Puts back on the site what was removed for links staff restored (TriageService.restore), unless another takedown
 * still holds it down (restore-plan.ts: another case's notice, or another link of the same case, naming the same
 * site ref); either way the case's takedowns are marked restored. It always ends with a takedowns.restored event
 * naming the restoration, with a count of 0 when an earlier restoration's job put the links back already (the
 * reconciler reads that event as "done"), and `heldDown` listing what stayed down and for which case.
 *
 * The decision, the site's call and the record are one transaction under the locks of every case with a takedown
 * of those refs, taken in id order like every writer of takedowns takes a case's lock: two cases restoring the same
 * ref are serialised, so the second sees the first's result, and an approval that would make another case's
 * takedown of the ref pending waits until the ref is back. A failure rolls everything back and the job retries; the
 * site's restore is idempotent, so a retry after a crash does no harm.
 */
@Injectable()
export class RestoreService {
  private readonly logger = new Logger(RestoreService.name);

  constructor(
    private readonly dataSource: DataSource,
    @Inject(SITE_ADAPTER) private readonly site: SiteAdapter,
    private readonly strikes: StrikeLedger,
  ) {}

  async restore(caseId: string, restoration: string): Promise<void> {
    for (let round = 1; round <= LOCK_ROUNDS; round++) {
      const settled = await this.dataSource.transaction((m) => this.restoreLocked(m, caseId, restoration));
      if (settled === false) continue;
      if (settled) {
        this.logger.log(
          `Restoration ${restoration} of case ${caseId} done: ${settled.restored} takedown(s) restored, ` +
            `${settled.putBack} put back on the site, ${settled.heldDown} held down by another`,
          eventFields(LogEvent.RestorationDone, { caseId, restoration, ...settled }),
        );
      }
      return;
    }
    throw new Error(`The cases holding the links of case ${caseId} kept changing; the restoration will be retried.`);
  }

  /**
   * False when a case that takes down one of the refs was not among those locked: the caller tries again. Otherwise
   * what was done, or undefined when the case is gone.
   */
  private async restoreLocked(
    m: EntityManager,
    caseId: string,
    restoration: string,
  ): Promise<false | undefined | { restored: number; putBack: number; heldDown: number }> {
    const sharing = await m.query<{ case_id: string }[]>(
      `SELECT DISTINCT o.case_id FROM takedowns t JOIN reported_links l ON l.id = t.reported_link_id
       JOIN takedowns o ON o.site_ref = t.site_ref AND o.id <> t.id
       WHERE t.case_id = $1 AND t.status = 'done' AND l.status = 'restored' AND o.status = ANY($2::takedown_status[])`,
      [caseId, LOCKED_STATUSES],
    );
    const toLock = [...new Set([caseId, ...sharing.map((r) => r.case_id)])];
    const locked = await m.query<{ id: string }[]>(
      `SELECT id FROM cases WHERE id = ANY($1::uuid[]) ORDER BY id FOR UPDATE`,
      [toLock],
    );
    const lockedIds = new Set(locked.map((r) => r.id));
    if (!lockedIds.has(caseId)) return undefined;

    // Read again under the locks: another restoration of this case may have run while we waited.
    const rows = await m.query<{ id: string; site_ref: string }[]>(
      `SELECT t.id, t.site_ref FROM takedowns t JOIN reported_links l ON l.id = t.reported_link_id
       WHERE t.case_id = $1 AND t.status = 'done' AND l.status = 'restored'`,
      [caseId],
    );
    const ids = rows.map((r) => r.id);
    const others = await m.query<(OtherTakedown & { caseId: string })[]>(
      `SELECT o.site_ref AS "siteRef", o.status, o.case_id AS "caseId", c.reference
       FROM takedowns o JOIN cases c ON c.id = o.case_id
       WHERE o.site_ref = ANY($1::text[]) AND o.id <> ALL($2::uuid[]) AND o.status = ANY($3::takedown_status[])`,
      [rows.map((r) => r.site_ref), ids, LOCKED_STATUSES],
    );
    if (others.some((o) => !lockedIds.has(o.caseId))) return false;

    const { putBack, heldDown } = restorePlan(
      rows.map((r) => r.site_ref),
      others,
    );
    if (putBack.length > 0) {
      await this.site.restore(putBack);
      // Checked, as a takedown is: a link the site says it put back but does not serve is retried (the job fails).
      const live = await this.site.stillLive(putBack);
      const notBack = putBack.filter((ref) => !live.has(ref));
      if (notBack.length > 0) {
        throw new Error(`The site did not put back ${notBack.length} link(s) (${notBack.slice(0, 3).join(', ')}).`);
      }
    }
    // restored_at says when the site put the link back: a takedown released while another holds the ref has none.
    const restored = await m.query<unknown[]>(
      `WITH restored AS (UPDATE takedowns SET status = 'restored',
                                restored_at = CASE WHEN site_ref = ANY($2::text[]) THEN now() END
                         WHERE id = ANY($1::uuid[]) AND status = 'done' RETURNING id)
       SELECT id FROM restored`,
      [ids, putBack],
    );
    await this.voidUndoneStrikes(m, caseId, restoration);
    await audit(m, caseId, 'worker', 'takedowns.restored', {
      restoration,
      restored: restored.length,
      ...(putBack.length > 0 ? { verified: putBack.length } : {}),
      ...(heldDown.length > 0 ? { heldDown } : {}),
    });
    return { restored: restored.length, putBack: putBack.length, heldDown: heldDown.length };
  }

  /**
   * 512(i): a strike stands for a removal. Once none of an uploader's takedowns in the case is still in force, their
   * strike for it is voided, for the reason the restoration gives: a retraction, the end of a counter-notice's
   * waiting period (the worker's restoration), or staff putting it back.
   */
  private async voidUndoneStrikes(m: EntityManager, caseId: string, restoration: string): Promise<void> {
    const undone = await m.query<{ uploader_id: string }[]>(
      `SELECT DISTINCT t.uploader_id FROM takedowns t
       WHERE t.case_id = $1 AND t.uploader_id IS NOT NULL AND t.status = 'restored'
         AND NOT EXISTS (SELECT 1 FROM takedowns d WHERE d.case_id = $1 AND d.uploader_id = t.uploader_id
                         AND d.status = 'done')`,
      [caseId],
    );
    if (undone.length === 0) return;
    const [event] = await m.query<{ action: string; actor: string }[]>(
      `SELECT action, actor FROM audit_events WHERE id = $1`,
      [restoration],
    );
    const reason =
      event?.action === 'notice.retracted'
        ? StrikeVoidReason.Retracted
        : event?.actor === 'worker'
          ? StrikeVoidReason.CounterNoticeRestored
          : StrikeVoidReason.RestoredByStaff;
    await this.strikes.void(
      m,
      caseId,
      reason,
      event?.actor ?? 'worker',
      undone.map((r) => r.uploader_id),
    );
  }
}
