import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { RetentionRunCounts } from './retention';

/**
 * One real retention run (dry runs are not recorded): what it removed across the deployment, by count. Append-only:
 * written once when the run ends. What it removed from each case is in that case's audit log (retention.applied).
 */
@Entity('retention_runs')
export class RetentionRun {
  /** Also named in each case's retention.applied event. */
  @PrimaryColumn('uuid') id!: string;
  /** 'system' for the nightly job, 'cli:<user>' from the command line. */
  @Column('text') actor!: string;
  /** When the run started and ended (the schedule itself counts from the clock the run was given). */
  @Column('timestamptz') startedAt!: Date;
  @Column('timestamptz') finishedAt!: Date;
  @Column('jsonb') counts!: RetentionRunCounts;
}
