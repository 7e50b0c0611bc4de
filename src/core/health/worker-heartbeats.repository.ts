import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

/** What /health shows of one worker; ages by Postgres's clock. */
export interface WorkerSeen {
  id: string;
  hostname: string;
  pid: number;
  startedAt: string;
  lastSeenAt: string;
  ageSeconds: number;
}

/** Rows of workers not heard from for this long are deleted by the next beat of any worker. */
const FORGET_AFTER_SECONDS = 86_400;
/** How many workers /health lists, the most recently seen first. */
const LISTED = 50;

/** The SQL of worker_heartbeats: each worker's beat, its leaving, and the list /health reads. */
@Injectable()
export class WorkerHeartbeatsRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** Records that the worker `id` is alive now, and forgets workers silent for a day. */
  async beat(worker: { id: string; hostname: string; pid: number }): Promise<void> {
    await this.dataSource.query(
      `WITH forgotten AS (
         DELETE FROM worker_heartbeats WHERE last_seen_at < now() - make_interval(secs => $4) AND id <> $1)
       INSERT INTO worker_heartbeats (id, hostname, pid, started_at, last_seen_at) VALUES ($1, $2, $3, now(), now())
       ON CONFLICT (id) DO UPDATE SET last_seen_at = now()`,
      [worker.id, worker.hostname, worker.pid, FORGET_AFTER_SECONDS],
    );
  }

  async remove(id: string): Promise<void> {
    await this.dataSource.query(`DELETE FROM worker_heartbeats WHERE id = $1`, [id]);
  }

  /** The workers heard from in the last day, the most recent first. */
  async seen(): Promise<WorkerSeen[]> {
    const rows = await this.dataSource.query<
      { id: string; hostname: string; pid: number; started_at: Date; last_seen_at: Date; age: number }[]
    >(
      `SELECT id, hostname, pid, started_at, last_seen_at,
              greatest(0, extract(epoch FROM now() - last_seen_at))::float8 AS age
       FROM worker_heartbeats ORDER BY last_seen_at DESC LIMIT $1`,
      [LISTED],
    );
    return rows.map((r) => ({
      id: r.id,
      hostname: r.hostname,
      pid: r.pid,
      startedAt: new Date(r.started_at).toISOString(),
      lastSeenAt: new Date(r.last_seen_at).toISOString(),
      ageSeconds: Math.round(r.age * 10) / 10,
    }));
  }
}
