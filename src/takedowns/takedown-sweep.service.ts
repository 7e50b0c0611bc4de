import { Inject, Injectable, Logger } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { audit } from '../cases/audit';
import { complainantAddress } from '../cases/complainant-address';
import { type TakedownConfig, takedownConfig } from '../core/config';
import { LetterKind } from '../letters/letter.entity';
import { LettersService } from '../letters/letters.service';
import { SITE_ADAPTER, type SiteAdapter, type TakedownOutcome } from '../site/site-adapter';

interface DueRow {
  id: string;
  case_id: string;
  reference: string;
  status_token: string;
  site_ref: string;
  reported_link_id: string;
  url: string;
  attempts: number;
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
 * Removes the links whose takedowns have fallen due, a batch at a time. Rows are claimed with SKIP LOCKED, so
 * any number of workers may sweep at once without removing a link twice.
 */
@Injectable()
export class TakedownSweepService {
  private readonly logger = new Logger(TakedownSweepService.name);

  constructor(
    private readonly dataSource: DataSource,
    private readonly letters: LettersService,
    @Inject(SITE_ADAPTER) private readonly site: SiteAdapter,
    @Inject(takedownConfig.KEY) private readonly config: TakedownConfig,
  ) {}

  async sweep(): Promise<SweepResult> {
    const total: SweepResult = { done: 0, notFound: 0, failed: 0, retrying: 0 };
    for (;;) {
      const batch = await this.dataSource.transaction((m) => this.sweepBatch(m));
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

  private async sweepBatch(m: EntityManager): Promise<SweepResult | undefined> {
    const rows = await m.query<DueRow[]>(
      `SELECT t.id, t.case_id, c.reference, c.status_token, t.site_ref, t.reported_link_id, l.url, t.attempts
       FROM takedowns t JOIN cases c ON c.id = t.case_id JOIN reported_links l ON l.id = t.reported_link_id
       WHERE t.status = 'pending' AND t.due_at <= now()
       ORDER BY t.due_at LIMIT $1 FOR UPDATE OF t SKIP LOCKED`,
      [this.config.sweepBatchSize],
    );
    if (rows.length === 0) return undefined;

    const result: SweepResult = { done: 0, notFound: 0, failed: 0, retrying: 0 };
    for (const group of groupBy(rows, (r) => r.case_id)) {
      let outcomes: Map<string, TakedownOutcome>;
      try {
        outcomes = await this.site.takeDown(
          group.map((r) => r.site_ref),
          group[0].reference,
        );
      } catch (error) {
        const counts = await this.recordFailure(m, group, error);
        result.failed += counts.failed;
        result.retrying += counts.retrying;
        continue;
      }
      const done = group.filter((r) => outcomes.get(r.site_ref) === 'done');
      const notFound = group.filter((r) => outcomes.get(r.site_ref) !== 'done');
      const live = await this.site.stillLive(done.map((r) => r.site_ref));
      await m.query(
        `UPDATE takedowns SET status = 'done', done_at = now(), attempts = attempts + 1,
                verified_at = CASE WHEN id = ANY($2::uuid[]) THEN NULL ELSE now() END
         WHERE id = ANY($1::uuid[])`,
        [done.map((r) => r.id), done.filter((r) => live.has(r.site_ref)).map((r) => r.id)],
      );
      await m.query(`UPDATE takedowns SET status = 'not_found', attempts = attempts + 1 WHERE id = ANY($1::uuid[])`, [
        notFound.map((r) => r.id),
      ]);
      await m.query(`UPDATE reported_links SET status = 'taken_down' WHERE id = ANY($1::uuid[])`, [
        done.map((r) => r.reported_link_id),
      ]);
      await audit(m, group[0].case_id, 'worker', 'takedowns.done', {
        done: done.length,
        notFound: notFound.length,
        unverified: live.size,
      });
      if (done.length > 0) await this.recordDoneLetter(m, group[0], done);
      result.done += done.length;
      result.notFound += notFound.length;
    }
    return result;
  }

  private async recordFailure(
    m: EntityManager,
    group: DueRow[],
    error: unknown,
  ): Promise<{ failed: number; retrying: number }> {
    const message = (error instanceof Error ? error.message : String(error)).slice(0, 500);
    const giveUp = group.filter((r) => r.attempts + 1 >= MAX_TAKEDOWN_ATTEMPTS);
    const retry = group.filter((r) => r.attempts + 1 < MAX_TAKEDOWN_ATTEMPTS);
    await m.query(
      `UPDATE takedowns SET attempts = attempts + 1, last_error = $2,
              status = CASE WHEN id = ANY($3::uuid[]) THEN 'failed'::takedown_status ELSE status END,
              due_at = now() + make_interval(secs => $4 * power(2, attempts))
       WHERE id = ANY($1::uuid[])`,
      [group.map((r) => r.id), message, giveUp.map((r) => r.id), RETRY_BASE_SECONDS],
    );
    await audit(m, group[0].case_id, 'worker', 'takedowns.failed', {
      error: message,
      giveUp: giveUp.length,
      retry: retry.length,
    });
    this.logger.warn(`Takedown for ${group[0].reference} failed: ${message}`);
    return { failed: giveUp.length, retrying: retry.length };
  }

  private async recordDoneLetter(m: EntityManager, first: DueRow, done: DueRow[]): Promise<void> {
    await this.letters.record(
      m,
      { id: first.case_id, reference: first.reference, statusToken: first.status_token },
      LetterKind.TakedownDone,
      // One letter per batch of removals: the first takedown id names the occasion.
      [...done.map((r) => r.id)].sort()[0],
      await complainantAddress(m, first.case_id),
      { removed: [...new Set(done.map((r) => r.url))], at: new Date() },
    );
  }
}

function groupBy<T>(items: T[], key: (t: T) => string): T[][] {
  const groups = new Map<string, T[]>();
  for (const item of items) groups.set(key(item), [...(groups.get(key(item)) ?? []), item]);
  return [...groups.values()];
}
