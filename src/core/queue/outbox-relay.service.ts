import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { DataSource, type QueryRunner } from 'typeorm';
import { withTimeout } from '../with-timeout';
import { JOB_RETRY, QueueName } from './jobs';
import { Queues } from './queues';

interface OutboxRow {
  id: string;
  queue: QueueName;
  name: string;
  data: Record<string, unknown>;
  job_id: string;
}

const BATCH = 500;
/** Batches one relayOnce moves at most before it returns (and the tick runs it again at once). */
const MAX_BATCHES = 20;
const IDLE_DELAY_MS = 250;
const ERROR_DELAY_MS = 2_000;
/**
 * BullMQ waits for its connection before sending; while Redis is away that wait is open-ended, and the rows stay
 * locked. A relay that gives up after this long keeps its transaction short. Should the add still land later, the
 * row's next relay makes no second job: the job id is the same.
 */
const ADD_TIMEOUT_MS = 3_000;

/**
 * Moves outbox rows to BullMQ. Several relays may run (one per worker): rows are claimed with
 * SKIP LOCKED, and a row sent twice after a crash makes no second job because job ids are deterministic.
 * While Redis is down the rows wait; nothing is lost.
 */
@Injectable()
export class OutboxRelayService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(OutboxRelayService.name);
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private stopped = false;

  constructor(
    private readonly dataSource: DataSource,
    private readonly queues: Queues,
  ) {}

  onApplicationBootstrap(): void {
    this.schedule(0);
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.running;
  }

  /**
   * Relays batches of the outbox until one comes back short (at most MAX_BATCHES of them): how many rows went to
   * BullMQ, whether the last batch was full (more rows may be waiting), and the error that stopped it, if one did.
   *
   * Each batch is its own transaction, whose rows stay locked (FOR UPDATE) until they are marked dispatched. The next
   * batch is claimed, on a second connection, while this one's addBulk is in Redis, and this one is marked and
   * committed while the next one's addBulk is: the database's round trips hide behind Redis' instead of adding to
   * them. The jobs still go to Redis one batch after the other, in id order. When a run fails, the batch claimed
   * behind it is closed unsent, so its rows, like the failed run's, wait for the next relay.
   */
  async relayOnce(): Promise<{ sent: number; more: boolean; error?: string }> {
    let sent = 0;
    let more = false;
    let error: string | undefined;
    const settling: Promise<void>[] = [];
    let next: Promise<ClaimedBatch> | undefined = this.claim();
    try {
      for (let batch = 1; next; batch++) {
        const current = await next;
        next = undefined;
        more = current.rows.length === BATCH;
        if (more && batch < MAX_BATCHES && !this.stopped) next = quiet(this.claim());
        const outcome = await this.send(current.rows);
        settling.push(current.settle(outcome.sent, outcome.failed, outcome.error));
        sent += outcome.sent.length;
        if (outcome.error !== undefined) {
          error = outcome.error;
          more = false;
          break;
        }
      }
    } catch (e) {
      await this.closeAll(settling, next).catch(() => undefined);
      throw e;
    }
    // Every transaction is closed before this returns; a batch that was not marked dispatched fails the call.
    await this.closeAll(settling, next);
    return { sent, more, error };
  }

  /** Waits for every batch's transaction to close (`next`, claimed and not sent, with nothing marked), and fails if one did not commit. */
  private async closeAll(settling: Promise<void>[], next: Promise<ClaimedBatch> | undefined): Promise<void> {
    if (next) settling.push(next.then((unsent) => unsent.settle([], [], undefined)));
    const failed = (await Promise.allSettled(settling)).find(
      (result): result is PromiseRejectedResult => result.status === 'rejected',
    );
    if (failed) throw failed.reason instanceof Error ? failed.reason : new Error('an outbox batch did not commit');
  }

  /** Opens a transaction and locks the next batch of undispatched rows that no other relay holds. */
  private async claim(): Promise<ClaimedBatch> {
    const runner = this.dataSource.createQueryRunner();
    try {
      await runner.startTransaction();
      // A mark lost with the last moments of a crash only sends its rows again, under the same job ids: this commit
      // need not wait for the disk.
      await runner.query(`SET LOCAL synchronous_commit = off`);
      const rows = (await runner.query(
        `SELECT id, queue, name, data, job_id FROM outbox
         WHERE dispatched_at IS NULL ORDER BY id LIMIT $1 FOR UPDATE SKIP LOCKED`,
        [BATCH],
      )) as OutboxRow[];
      return { rows, settle: (sent, failed, error) => settle(runner, sent, failed, error) };
    } catch (e) {
      await runner.rollbackTransaction().catch(() => undefined);
      await runner.release();
      throw e;
    }
  }

  /**
   * One addBulk per run of rows for the same queue (a MULTI in Redis), in id order: the same job ids as one add()
   * each, at a fraction of the round trips. A run that fails stops the batch; its rows wait for the next relay.
   */
  private async send(rows: OutboxRow[]): Promise<{ sent: string[]; failed: string[]; error?: string }> {
    const sent: string[] = [];
    for (const run of queueRuns(rows)) {
      try {
        await withTimeout(
          this.queues
            .get(run[0].queue)
            .addBulk(run.map((row) => ({ name: row.name, data: row.data, opts: { ...JOB_RETRY, jobId: row.job_id } }))),
          ADD_TIMEOUT_MS,
          'Redis',
        );
        sent.push(...run.map((row) => row.id));
      } catch (e) {
        const error = (e instanceof Error ? e.message : String(e)).slice(0, 500);
        return { sent, failed: run.map((row) => row.id), error };
      }
    }
    return { sent, failed: [] };
  }

  private schedule(delay: number): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.running = this.tick();
    }, delay);
  }

  private async tick(): Promise<void> {
    let delay = IDLE_DELAY_MS;
    try {
      const { more, error } = await this.relayOnce();
      if (error) throw new Error(error);
      if (more) delay = 0;
    } catch (error) {
      this.logger.warn(`Outbox relay waiting: ${error instanceof Error ? error.message : String(error)}`);
      delay = ERROR_DELAY_MS;
    }
    this.schedule(delay);
  }
}

interface ClaimedBatch {
  rows: OutboxRow[];
  /** Marks `sent` dispatched and records `error` against `failed`, then commits and frees the connection. */
  settle(sent: string[], failed: string[], error: string | undefined): Promise<void>;
}

async function settle(runner: QueryRunner, sent: string[], failed: string[], error: string | undefined): Promise<void> {
  try {
    if (failed.length > 0) {
      await runner.query(`UPDATE outbox SET attempts = attempts + 1, last_error = $2 WHERE id = ANY($1::bigint[])`, [
        failed,
        error,
      ]);
    }
    if (sent.length > 0) {
      await runner.query(`UPDATE outbox SET dispatched_at = now() WHERE id = ANY($1::bigint[])`, [sent]);
    }
    await runner.commitTransaction();
  } catch (e) {
    await runner.rollbackTransaction().catch(() => undefined);
    throw e;
  } finally {
    await runner.release();
  }
}

/** The same promise, with its rejection marked handled until someone awaits it. */
function quiet<T>(promise: Promise<T>): Promise<T> {
  promise.catch(() => undefined);
  return promise;
}

/** The rows cut into runs of consecutive rows for the same queue, in order. */
function queueRuns(rows: OutboxRow[]): OutboxRow[][] {
  const runs: OutboxRow[][] = [];
  for (const row of rows) {
    const last = runs[runs.length - 1];
    if (last && last[0].queue === row.queue) last.push(row);
    else runs.push([row]);
  }
  return runs;
}
