import { Inject, Injectable, Logger } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { audit } from '../cases/audit';
import { type PrivacyConfig, privacyConfig } from '../core/config';
import { messageOf } from '../core/error-message';
import { FinishedJobs } from '../core/queue/finished-jobs';
import { ErasureService } from './erasure.service';
import {
  type CaseDue,
  type HeldCase,
  NO_COUNTS,
  planCases,
  type RetentionCounts,
  type RetentionCutoffs,
  retentionCutoffs,
  TABLE_CATEGORIES,
  TABLE_CUTOFF,
  type TableCategory,
  totalCounts,
} from './retention';
import type { RetentionRun } from './retention-run.entity';
import { RetentionRepository } from './retention.repository';

/** What a run removed, or a dry run would: counts, the cases and what of each, and the cases a hold keeps. */
export interface RetentionReport {
  dryRun: boolean;
  /** The clock the schedule was counted from. */
  now: string;
  /** False when another run held the lock and this one did nothing. */
  ran: boolean;
  counts: RetentionCounts;
  cases: Omit<CaseDue, 'id'>[];
  held: HeldCase[];
  /** Cases whose removal failed and was rolled back (the error is in the log); tried again on the next run. */
  failed: string[];
}

/** One run at a time across every worker and the command line. */
const LOCK_KEY = 'takedown-desk:retention';

/**
 * Applies the retention schedule (README, "Personal data"): raw mail and evidence files, then the parties' personal
 * data, of closed cases not on legal hold; mail with no case; idempotency keys, dispatched outbox rows, expired
 * sessions and sign-in counters; finished jobs in Redis. `plan` says what is due and changes nothing; `apply`
 * removes the same selection, read with the same queries and decided by the same functions (retention.ts), so the
 * two agree. Each case is removed in a transaction of its own that locks it and reads it again (a hold set meanwhile
 * wins) and writes its retention.applied audit event; the run's deployment-wide counts go to retention_runs.
 */
@Injectable()
export class RetentionService {
  private readonly logger = new Logger(RetentionService.name);

  constructor(
    private readonly dataSource: DataSource,
    private readonly repository: RetentionRepository,
    private readonly erasure: ErasureService,
    private readonly jobs: FinishedJobs,
    @Inject(privacyConfig.KEY) private readonly config: PrivacyConfig,
  ) {}

  /** What a run at `now` would remove. Changes nothing. */
  async plan(now: Date): Promise<RetentionReport> {
    const cutoffs = retentionCutoffs(now, this.config.retention);
    const { due, held } = planCases(await this.repository.closedCases(cutoffs.rawMail), cutoffs);
    const unowned = await this.repository.countUnownedMail(cutoffs.rawMail);
    const tables = await this.eachTable((category) =>
      this.repository.countTable(category, cutoffs[TABLE_CUTOFF[category]]),
    );
    const finishedJobs = await this.jobs.count(cutoffs.dispatched);
    return report(true, now, true, totalCounts(due, unowned, tables, finishedJobs), due, held, []);
  }

  /**
   * Removes what is due at `now`, as `actor` ('system', 'cli:<user>'). Does nothing (ran: false) while another run
   * holds the lock.
   */
  async apply(now: Date, actor: string): Promise<RetentionReport> {
    const lock = this.dataSource.createQueryRunner();
    await lock.connect();
    try {
      await lock.startTransaction();
      const [row] = (await lock.query(`SELECT pg_try_advisory_xact_lock(hashtextextended($1, 0)) AS locked`, [
        LOCK_KEY,
      ])) as { locked: boolean }[];
      if (!row?.locked) {
        await lock.rollbackTransaction();
        return report(false, now, false, { ...NO_COUNTS }, [], [], []);
      }
      const started = new Date();
      const run = randomUUID();
      const cutoffs = retentionCutoffs(now, this.config.retention);
      const { done, held, failed } = await this.applyToCases(run, cutoffs, now, actor);
      const unowned = await this.repository.removeUnownedMail(cutoffs.rawMail, now);
      const tables = await this.eachTable((category) =>
        this.repository.removeFromTable(category, cutoffs[TABLE_CUTOFF[category]]),
      );
      const finishedJobs = await this.jobs.remove(cutoffs.dispatched);
      const counts = totalCounts(done, unowned, tables, finishedJobs);
      const record: RetentionRun = {
        id: run,
        actor,
        startedAt: started,
        finishedAt: new Date(),
        counts: { ...counts, failedCases: failed.length },
      };
      await this.repository.recordRun(lock.manager, record);
      await lock.commitTransaction();
      return report(false, now, true, counts, done, held, failed);
    } catch (error) {
      if (lock.isTransactionActive) await lock.rollbackTransaction();
      throw error;
    } finally {
      await lock.release();
    }
  }

  lastRun(): Promise<RetentionRun | null> {
    return this.repository.lastRun();
  }

  /** Each due case in a transaction of its own; a case that fails is rolled back, logged, and left for the next run. */
  private async applyToCases(
    run: string,
    cutoffs: RetentionCutoffs,
    now: Date,
    actor: string,
  ): Promise<{ done: CaseDue[]; held: HeldCase[]; failed: string[] }> {
    const { due, held } = planCases(await this.repository.closedCases(cutoffs.rawMail), cutoffs);
    const done: CaseDue[] = [];
    const failed: string[] = [];
    for (const candidate of due) {
      try {
        const result = await this.applyToCase(run, candidate.id, cutoffs, now, actor);
        if (result.done) done.push(result.done);
        held.push(...result.held);
      } catch (error) {
        this.logger.warn(`Retention left ${candidate.reference} for the next run: ${messageOf(error)}`);
        failed.push(candidate.reference);
      }
    }
    return { done, held, failed };
  }

  private applyToCase(
    run: string,
    caseId: string,
    cutoffs: RetentionCutoffs,
    now: Date,
    actor: string,
  ): Promise<{ done?: CaseDue; held: HeldCase[] }> {
    return this.dataSource.transaction(async (m) => {
      if (!(await this.repository.lockCase(m, caseId))) return { held: [] };
      // Read again under the lock: a hold set, a reopening or another removal since the selection decides.
      const { due, held } = planCases(await this.repository.closedCases(cutoffs.rawMail, [caseId], m), cutoffs);
      const [planned] = due;
      if (!planned) return { held };
      const mail =
        planned.rawMail > 0 || planned.evidenceFiles > 0
          ? await this.repository.removeCaseMail(m, caseId, now)
          : { rawMail: 0, evidenceFiles: 0 };
      let partyValues: number | null = null;
      if (planned.partyData) {
        partyValues = (await this.erasure.eraseCaseData(m, caseId, actor)).values;
        await this.repository.markPersonalDataErased(m, caseId, now);
      }
      await audit(m, caseId, actor, 'retention.applied', { run, ...mail, partyValues });
      return { done: { ...planned, ...mail }, held };
    });
  }

  private async eachTable(fn: (category: TableCategory) => Promise<number>): Promise<Record<TableCategory, number>> {
    const counts = {} as Record<TableCategory, number>;
    for (const category of TABLE_CATEGORIES) counts[category] = await fn(category);
    return counts;
  }
}

function report(
  dryRun: boolean,
  now: Date,
  ran: boolean,
  counts: RetentionCounts,
  cases: CaseDue[],
  held: HeldCase[],
  failed: string[],
): RetentionReport {
  return {
    dryRun,
    now: now.toISOString(),
    ran,
    counts,
    cases: cases.map(({ id: _id, ...rest }) => rest),
    held,
    failed,
  };
}
