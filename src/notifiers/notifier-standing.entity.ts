import { Column, Entity, Index, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';

export enum NotifierStandingStatus {
  Good = 'good',
  /** Staff warned the notifier (DSA Art. 23(3)): their notices are processed as before. */
  Warned = 'warned',
  /** Staff suspended the notifier until `suspendedUntil`: their notices are kept but held, not routed. */
  Suspended = 'suspended',
}

/**
 * Where a notifier stands with staff: made with the first warning or suspension. `notifierKey` is `agency:<id>`
 * or `email:<keyed hash>` (notifier-key.ts), never a plaintext address.
 */
@Entity('notifier_standings')
export class NotifierStanding {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Index({ unique: true }) @Column('text') notifierKey!: string;
  @Column({
    type: 'enum',
    enum: NotifierStandingStatus,
    enumName: 'notifier_standing_status',
    default: NotifierStandingStatus.Good,
  })
  status!: NotifierStandingStatus;
  @Column('int', { default: 0 }) warnings!: number;
  @Column('timestamptz', { nullable: true }) warnedAt!: Date | null;
  @Column('timestamptz', { nullable: true }) suspendedAt!: Date | null;
  @Column('timestamptz', { nullable: true }) suspendedUntil!: Date | null;
  @Column('text', { nullable: true }) suspendedBy!: string | null;
  @UpdateDateColumn({ type: 'timestamptz' }) updatedAt!: Date;
}
