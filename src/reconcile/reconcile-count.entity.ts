import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { JobName } from '../core/queue/jobs';

/**
 * How many jobs of each kind the reconciler has put back on the queues since the database was made: kept in
 * Postgres, so that every API replica's /metrics reports the same total and a worker's restart loses none.
 */
@Entity('reconcile_counts')
export class ReconcileCount {
  @PrimaryColumn('text') kind!: JobName;
  @Column('bigint', { default: 0 }) total!: string;
  @Column('timestamptz', { nullable: true }) lastAt!: Date | null;
}
