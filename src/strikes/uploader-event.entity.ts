import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/**
 * Append-only: what happened to an uploader's standing and who did it, as audit_events is for a case. Detail holds
 * ids, counts and references; words a person wrote (a reason) are kept in `reasonText`, which erasure can blank.
 */
@Entity('uploader_events')
export class UploaderEvent {
  @PrimaryGeneratedColumn('increment', { type: 'bigint' }) id!: string;
  @Index() @Column('uuid') standingId!: string;
  /** 'system', 'worker', or a staff account id. */
  @Column('text') actor!: string;
  @Column('text') action!: UploaderEventAction;
  @Column('jsonb', { default: () => "'{}'" }) detail!: Record<string, unknown>;
  @Column('text', { nullable: true }) reasonText!: string | null;
  @CreateDateColumn({ type: 'timestamptz' }) at!: Date;
}

export type UploaderEventAction =
  'termination_recommended' | 'recommendation_withdrawn' | 'recommendation_declined' | 'suspended' | 'reinstated';
