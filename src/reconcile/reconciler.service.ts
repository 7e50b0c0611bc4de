import { InjectQueue } from '@nestjs/bullmq';
import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { Queue } from 'bullmq';
import { DataSource } from 'typeorm';
import { type ReconcileConfig, reconcileConfig, type TakedownConfig, takedownConfig } from '../core/config';
import { JOB_RETRY, jobIdFor, type JobItem, JobName, QueueName } from '../core/queue/jobs';
import { type OwedJob, OwedWorkRepository, RECONCILED_KINDS, type ReconciledKind } from './owed-work.repository';

/** What the reconciler made of one piece of owed work. */
export interface ReconcileFind {
  kind: ReconciledKind;
  /** The row the work is for (ids only). */
  ref: string;
  jobId: string;
  /** The job's state in BullMQ when the pass looked ('unknown': Redis did not hold it). */
  state: string;
  /** Put back on its queue by this pass. */
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
 * Puts back on the queues the work Postgres says is owed and Redis does not hold: Redis restarted without its data,
 * a failover to an empty replica, eviction, a FLUSHALL. Each worker runs it every RECONCILE_EVERY_SECONDS; an advisory
 * lock lets one pass run at a time. Only work older than RECONCILE_GRACE_SECONDS is looked at, so the normal path
 * (outbox, relay, queue) is never raced.
 *
 * A job is put back under its deterministic id, and only when BullMQ does not hold it: a waiting, delayed or running
 * job is left alone, a failed one is left for staff (it failed for good, or ran out of attempts), and a completed
 * one whose work the database still says is owed (checked again) is removed and added anew, since BullMQ ignores
 * an add under an id it still holds. The database decides; a completed job whose work is done is never looked at.
 */
@Injectable()
export class ReconcilerService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(ReconcilerService.name);
  private readonly queues: Record<QueueName, Queue>;
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<unknown> | undefined;
  private stopped = false;

  constructor(
    private readonly dataSource: DataSource,
    private readonly owed: OwedWorkRepository,
    @Inject(reconcileConfig.KEY) private readonly config: ReconcileConfig,
    @Inject(takedownConfig.KEY) private readonly takedowns: TakedownConfig,
    @InjectQueue(QueueName.Cases) cases: Queue,
    @InjectQueue(QueueName.Takedowns) takedownsQueue: Queue,
    @InjectQueue(QueueName.Mail) mail: Queue,
    @InjectQueue(QueueName.Inbound) inbound: Queue,
  ) {
    this.queues = {
      [QueueName.Cases]: cases,
      [QueueName.Takedowns]: takedownsQueue,
      [QueueName.Mail]: mail,
      [QueueName.Inbound]: inbound,
    };
  }

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
    const query = { graceSeconds: this.graceFor(kind), limit: this.config.batchSize };
    const owed = await this.owed.find(kind, query);
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
      const still = await this.owed.find(kind, { ...query, only: completed.map((o) => o.ref) });
      for (const o of still) {
        await withTimeout(this.queues[o.item.queue].remove(jobIdFor(o.item)), REDIS_TIMEOUT_MS);
        await this.add(o.item);
        finds.push(this.find(kind, o, 'completed', true));
      }
    }
    this.log(kind, finds);
    return finds;
  }

  /** The sweep's scheduler runs every SWEEP_EVERY_SECONDS: a takedown is only left unswept after that too. */
  private graceFor(kind: ReconciledKind): number {
    return kind === JobName.SweepDueTakedowns
      ? this.config.graceSeconds + this.takedowns.sweepEverySeconds
      : this.config.graceSeconds;
  }

  /** The job's state, or the state of a live job under one of its aliases. */
  private async stateOf(o: OwedJob): Promise<string> {
    const queue = this.queues[o.item.queue];
    const state = await withTimeout(queue.getJobState(jobIdFor(o.item)), REDIS_TIMEOUT_MS);
    if (LIVE_STATES.has(state)) return state;
    for (const alias of o.aliases) {
      const aliasState = await withTimeout(queue.getJobState(alias), REDIS_TIMEOUT_MS);
      if (LIVE_STATES.has(aliasState)) return aliasState;
    }
    return state;
  }

  private add(item: JobItem): Promise<unknown> {
    return withTimeout(
      this.queues[item.queue].add(item.name, item.data, { ...JOB_RETRY, jobId: jobIdFor(item) }),
      REDIS_TIMEOUT_MS,
    );
  }

  private find(kind: ReconciledKind, o: OwedJob, state: string, requeued: boolean): ReconcileFind {
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

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`Redis did not answer within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
