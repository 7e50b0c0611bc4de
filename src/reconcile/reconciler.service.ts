import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { type ReconcileConfig, reconcileConfig, type TakedownConfig, takedownConfig } from '../core/config';
import { messageOf } from '../core/error-message';
import { JOB_RETRY, jobIdFor, type JobItem, JobName, QueueName, SWEEP_SCHEDULER_ID } from '../core/queue/jobs';
import { Queues } from '../core/queue/queues';
import { upsertSweepScheduler } from '../core/queue/sweep-schedule';
import { withTimeout } from '../core/with-timeout';
import {
  DUE_TAKEDOWNS_REF,
  type OwedJob,
  type OwedQuery,
  OwedWorkRepository,
  type PagedKind,
  RECONCILED_KINDS,
  type ReconciledKind,
} from './owed-work.repository';

/** What the reconciler made of one piece of owed work. */
export interface ReconcileFind {
  kind: ReconciledKind;
  /** The row the work is for (ids only). */
  ref: string;
  jobId: string;
  /**
   * The job's state in BullMQ when the pass looked ('unknown': Redis did not hold it). For the sweep, whose job id is
   * its scheduler's: 'scheduled' when BullMQ held the schedule, 'unknown' when it had lost it.
   */
  state: string;
  /** Put back on its queue (for the sweep, its schedule put back) by this pass: counted as work Redis lost. */
  requeued: boolean;
}

export interface ReconcilePass {
  /** False when another worker held the reconciler's lock, and this one did nothing. */
  ran: boolean;
  found: ReconcileFind[];
}

/** One pass at a time across every worker: a session-level advisory lock, released when the pass ends. */
const LOCK_KEY = 'takedown-desk:reconciler';
/** How long a pass waits for one Redis call: while Redis is away the pass stops and the next one tries again. */
const REDIS_TIMEOUT_MS = 5_000;
/** Job states in which BullMQ will still run the job (or is running it): the work is in hand. */
const LIVE_STATES = new Set(['waiting', 'active', 'delayed', 'prioritized', 'waiting-children']);
const CHUNK = 50;
const LOGGED_REFS = 50;
/**
 * The most pages (of RECONCILE_BATCH_SIZE rows) of one kind a pass reads; the next pass goes on from where it stopped,
 * so that every owed row is looked at however many stay owed ahead of it (failed jobs left for staff, live ones).
 */
const PAGES_PER_PASS = 10;

/**
 * Puts back on the queues the work Postgres says is owed and Redis does not hold: Redis restarted without its data,
 * a failover to an empty replica, eviction, a FLUSHALL. Each worker runs it every RECONCILE_EVERY_SECONDS; an advisory
 * lock lets one pass run at a time. Only work older than RECONCILE_GRACE_SECONDS is looked at, so the normal path
 * (outbox, relay, queue) is never raced.
 *
 * Each kind is read oldest first in pages with a keyset cursor, up to PAGES_PER_PASS pages a pass; the cursor is kept
 * for the next pass (by this worker: another worker's pass keeps its own) and starts over once a kind is read to its
 * end. A job is put back under its deterministic id, and only when BullMQ does not hold it: a waiting, delayed or
 * running job is left alone, a failed one is left for staff (it failed for good, or ran out of attempts), and a
 * completed one whose work the database still says is owed (checked again) is removed and added anew, since BullMQ
 * ignores an add under an id it still holds. The database decides; a completed job whose work is done is never looked
 * at. Due takedowns have no job of their own: the sweep's schedule takes them, and it is that schedule that is put
 * back, should Redis have lost it.
 */
@Injectable()
export class ReconcilerService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(ReconcilerService.name);
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<unknown> | undefined;
  private stopped = false;
  /** Where each kind's next pass starts reading (absent: from the oldest owed row). */
  private readonly cursors = new Map<PagedKind, string>();

  constructor(
    private readonly dataSource: DataSource,
    private readonly owed: OwedWorkRepository,
    @Inject(reconcileConfig.KEY) private readonly config: ReconcileConfig,
    @Inject(takedownConfig.KEY) private readonly takedowns: TakedownConfig,
    private readonly queues: Queues,
  ) {}

  onApplicationBootstrap(): void {
    this.schedule();
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.running;
  }

  /** One pass over every kind of owed work; does nothing while another worker's pass holds the lock. */
  async reconcileOnce(): Promise<ReconcilePass> {
    const runner = this.dataSource.createQueryRunner();
    await runner.connect();
    try {
      const [lock] = (await runner.query(`SELECT pg_try_advisory_lock(hashtextextended($1, 0)) AS locked`, [
        LOCK_KEY,
      ])) as { locked: boolean }[];
      if (!lock?.locked) return { ran: false, found: [] };
      try {
        const found: ReconcileFind[] = [];
        for (const kind of RECONCILED_KINDS) {
          const finds = await this.reconcileKind(kind);
          await this.count(finds);
          found.push(...finds);
        }
        return { ran: true, found };
      } finally {
        await runner.query(`SELECT pg_advisory_unlock(hashtextextended($1, 0))`, [LOCK_KEY]);
      }
    } finally {
      await runner.release();
    }
  }

  private async reconcileKind(kind: ReconciledKind): Promise<ReconcileFind[]> {
    if (kind === JobName.SweepDueTakedowns) return this.reconcileSweep();
    const finds: ReconcileFind[] = [];
    let after = this.cursors.get(kind);
    for (let page = 0; page < PAGES_PER_PASS; page++) {
      const query = { graceSeconds: this.config.graceSeconds, limit: this.config.batchSize, after };
      const { owed, next } = await this.owed.find(kind, query);
      finds.push(...(await this.reconcilePage(kind, owed, query)));
      after = next;
      if (after === undefined) break;
    }
    if (after === undefined) this.cursors.delete(kind);
    else this.cursors.set(kind, after);
    this.log(kind, finds);
    return finds;
  }

  private async reconcilePage(kind: PagedKind, owed: OwedJob[], query: OwedQuery): Promise<ReconcileFind[]> {
    const finds: ReconcileFind[] = [];
    const completed: OwedJob[] = [];
    for (let i = 0; i < owed.length; i += CHUNK) {
      const chunk = owed.slice(i, i + CHUNK);
      const states = await Promise.all(chunk.map((o) => this.stateOf(o)));
      const missing: OwedJob[] = [];
      chunk.forEach((o, j) => {
        if (states[j] === 'unknown') missing.push(o);
        else if (states[j] === 'completed') completed.push(o);
        else finds.push(this.find(kind, o, states[j], false));
      });
      await Promise.all(missing.map((o) => this.add(o.item)));
      finds.push(...missing.map((o) => this.find(kind, o, 'unknown', true)));
    }
    if (completed.length > 0) {
      // Ran, yet owed: read the database again, since the job may have finished between the query and the look.
      const refs = completed.map((o) => o.ref);
      const { owed: still } = await this.owed.find(kind, {
        ...query,
        after: undefined,
        only: refs,
        limit: refs.length,
      });
      for (const o of still) {
        await withTimeout(this.queues.get(o.item.queue).remove(jobIdFor(o.item)), REDIS_TIMEOUT_MS, 'Redis');
        await this.add(o.item);
        finds.push(this.find(kind, o, 'completed', true));
      }
    }
    return finds;
  }

  /**
   * Takedowns due for longer than the grace and a sweep interval, with no sweep holding them: the sweep's schedule
   * should have taken them. The schedule is upserted (idempotent, as every worker does each minute), and counted as
   * put back only when BullMQ had lost it; when it was there, sweeps are failing or no worker takes the queue.
   */
  private async reconcileSweep(): Promise<ReconcileFind[]> {
    const kind = JobName.SweepDueTakedowns;
    const grace = this.config.graceSeconds + this.takedowns.sweepEverySeconds;
    if (!(await this.owed.takedownsLeftUnswept(grace))) return [];
    const queue = this.queues.get(QueueName.Takedowns);
    const scheduled = await withTimeout(queue.getJobScheduler(SWEEP_SCHEDULER_ID), REDIS_TIMEOUT_MS, 'Redis');
    await withTimeout(upsertSweepScheduler(queue, this.takedowns.sweepEverySeconds), REDIS_TIMEOUT_MS, 'Redis');
    const find: ReconcileFind = {
      kind,
      ref: DUE_TAKEDOWNS_REF,
      jobId: SWEEP_SCHEDULER_ID,
      state: scheduled ? 'scheduled' : 'unknown',
      requeued: !scheduled,
    };
    if (scheduled) {
      this.logger.warn(
        `Takedowns have been due for over ${grace} s though the sweep is scheduled: check that a worker takes the ` +
          `${QueueName.Takedowns} queue, and the sweep's failed jobs`,
      );
    } else {
      this.logger.warn(`Put back the sweep's schedule, which the queues had lost, for the takedowns due`);
    }
    return [find];
  }

  /** The job's state, or the state of a live job under one of its aliases. */
  private async stateOf(o: OwedJob): Promise<string> {
    const queue = this.queues.get(o.item.queue);
    const state = await withTimeout(queue.getJobState(jobIdFor(o.item)), REDIS_TIMEOUT_MS, 'Redis');
    if (LIVE_STATES.has(state) || o.aliases.length === 0) return state;
    const aliases = await Promise.all(
      o.aliases.map((alias) => withTimeout(queue.getJobState(alias), REDIS_TIMEOUT_MS, 'Redis')),
    );
    return aliases.find((a) => LIVE_STATES.has(a)) ?? state;
  }

  private add(item: JobItem): Promise<unknown> {
    return withTimeout(
      this.queues.get(item.queue).add(item.name, item.data, { ...JOB_RETRY, jobId: jobIdFor(item) }),
      REDIS_TIMEOUT_MS,
      'Redis',
    );
  }

  private find(kind: PagedKind, o: OwedJob, state: string, requeued: boolean): ReconcileFind {
    return { kind, ref: o.ref, jobId: jobIdFor(o.item), state, requeued };
  }

  private log(kind: ReconciledKind, finds: ReconcileFind[]): void {
    const requeued = finds.filter((f) => f.requeued);
    if (requeued.length > 0) {
      this.logger.warn(
        `Re-enqueued ${requeued.length} ${kind} job(s) the queues had lost: ${refs(requeued)}` +
          ` (${requeued.filter((f) => f.state === 'completed').length} had completed without doing the work)`,
      );
    }
    const failed = finds.filter((f) => f.state === 'failed');
    if (failed.length > 0) {
      this.logger.warn(`${failed.length} ${kind} job(s) failed and are left for staff: ${refs(failed)}`);
    }
  }

  private async count(finds: ReconcileFind[]): Promise<void> {
    const totals = new Map<string, number>();
    for (const f of finds) if (f.requeued) totals.set(f.kind, (totals.get(f.kind) ?? 0) + 1);
    if (totals.size === 0) return;
    await this.dataSource.query(
      `INSERT INTO reconcile_counts (kind, total, last_at)
       SELECT kind, n, now() FROM unnest($1::text[], $2::bigint[]) AS t(kind, n)
       ON CONFLICT (kind) DO UPDATE SET total = reconcile_counts.total + EXCLUDED.total, last_at = now()`,
      [[...totals.keys()], [...totals.values()]],
    );
  }

  private schedule(): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.running = this.tick();
    }, this.config.everySeconds * 1000);
  }

  private async tick(): Promise<void> {
    try {
      await this.reconcileOnce();
    } catch (error) {
      this.logger.warn(`Reconciler pass stopped, trying again later: ${messageOf(error)}`);
    }
    this.schedule();
  }
}

function refs(finds: ReconcileFind[]): string {
  const shown = finds.slice(0, LOGGED_REFS).map((f) => f.ref);
  return finds.length > LOGGED_REFS ? `${shown.join(', ')} and ${finds.length - LOGGED_REFS} more` : shown.join(', ');
}
