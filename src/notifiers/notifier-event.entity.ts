import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/**
 * Append-only: what staff decided about a notifier and who did it, as uploader_events is for an uploader. Detail
 * holds ids, counts and dates; the reason a person wrote is kept in `reasonText`, which erasure can blank.
 */
@Entity('notifier_events')
export class NotifierEvent {
  @PrimaryGeneratedColumn('increment', { type: 'bigint' }) id!: string;
  @Index() @Column('uuid') standingId!: string;
  /** 'system', 'worker', or a staff account id. */
  @Column('text') actor!: string;
  @Column('text') action!: NotifierEventAction;
  @Column('jsonb', { default: () => "'{}'" }) detail!: Record<string, unknown>;
  @Column('text', { nullable: true }) reasonText!: string | null;
  @CreateDateColumn({ type: 'timestamptz' }) at!: Date;
}

/** A warning withdrawn and a suspension reversed are the outcomes of the notifier's complaint (DSA Art. 20). */
export type NotifierEventAction = 'warned' | 'suspended' | 'lifted' | 'warning_withdrawn' | 'suspension_reversed';
