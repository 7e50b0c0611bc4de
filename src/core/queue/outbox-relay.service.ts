import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { DataSource } from 'typeorm';
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

  /** Relays one batch: how many rows went to BullMQ, and the error that stopped it, if one did. */
  async relayOnce(): Promise<{ sent: number; error?: string }> {
    return this.dataSource.transaction(async (manager) => {
      const rows: OutboxRow[] = await manager.query(
        `SELECT id, queue, name, data, job_id FROM outbox
         WHERE dispatched_at IS NULL ORDER BY id LIMIT $1 FOR UPDATE SKIP LOCKED`,
        [BATCH],
      );
      const sent: string[] = [];
      let error: string | undefined;
      // One addBulk per run of rows for the same queue (a MULTI in Redis), in id order: the same job ids as one add()
      // each, at a fraction of the round trips. A run that fails stops the batch; its rows wait for the next relay.
      for (const run of queueRuns(rows)) {
        try {
          await withTimeout(
            this.queues
              .get(run[0].queue)
              .addBulk(
                run.map((row) => ({ name: row.name, data: row.data, opts: { ...JOB_RETRY, jobId: row.job_id } })),
              ),
            ADD_TIMEOUT_MS,
            'Redis',
          );
          sent.push(...run.map((row) => row.id));
        } catch (e) {
          error = (e instanceof Error ? e.message : String(e)).slice(0, 500);
          await manager.query(
            `UPDATE outbox SET attempts = attempts + 1, last_error = $2 WHERE id = ANY($1::bigint[])`,
            [run.map((row) => row.id), error],
          );
          break;
        }
      }
      if (sent.length > 0) {
        await manager.query(`UPDATE outbox SET dispatched_at = now() WHERE id = ANY($1::bigint[])`, [sent]);
      }
      return { sent: sent.length, error };
    });
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
      const { sent, error } = await this.relayOnce();
      if (error) throw new Error(error);
      if (sent === BATCH) delay = 0;
    } catch (error) {
      this.logger.warn(`Outbox relay waiting: ${error instanceof Error ? error.message : String(error)}`);
      delay = ERROR_DELAY_MS;
    }
    this.schedule(delay);
  }
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
