import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/**
 * A worker process's latest sign of life, written every WORKER_HEARTBEAT_SECONDS and removed when it stops: /health
 * lists the rows and answers 503 when none is fresh. Times are Postgres's own, so that clocks of the machines running
 * the workers and the API cannot disagree about an age.
 */
@Entity('worker_heartbeats')
export class WorkerHeartbeat {
  /** One per process start: `<hostname>:<pid>:<random>`. */
  @PrimaryColumn('text') id!: string;
  @Column('text') hostname!: string;
  @Column('int') pid!: number;
  @Column('timestamptz') startedAt!: Date;
  @Index('worker_heartbeats_last_seen')
  @Column('timestamptz')
  lastSeenAt!: Date;
}
