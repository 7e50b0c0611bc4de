import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { Case } from './case.entity';
import { CounterNotice } from './counter-notice.entity';

/** Why a case is held: a suit the complainant filed (512(g)(2)(C)), or a preservation request staff recorded. */
export enum LegalHoldKind {
  Suit = 'suit',
  Preservation = 'preservation',
}

/**
 * A legal hold on a case: a record with its reason, not a case status. While one is in force nothing the hold
 * covers is restored or deleted (a suit stops the counter-notice's restoration).
 */
@Entity('legal_holds')
/** The holds in force, by case. */
@Index('legal_holds_in_force', ['caseId'], { where: 'released_at IS NULL' })
export class LegalHold {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column('uuid') caseId!: string;
  @ManyToOne(() => Case, { onDelete: 'CASCADE' }) @JoinColumn({ name: 'case_id' }) case?: Case;
  @Column({ type: 'enum', enum: LegalHoldKind, enumName: 'legal_hold_kind' }) kind!: LegalHoldKind;
  @Column('text') reason!: string;
  /** The counter-notice whose restoration a suit stopped. */
  @Column('uuid', { nullable: true }) counterNoticeId!: string | null;
  @ManyToOne(() => CounterNotice, { onDelete: 'SET NULL' })
  @JoinColumn({ name: 'counter_notice_id' })
  counterNotice?: CounterNotice;
  /** A staff member's id, or 'sender' when the complainant filed it through their status page. */
  @Column('text') setBy!: string;
  /** The document behind the hold (the complaint filed in court), when one was attached; its hash for the record. */
  @Column('text', { nullable: true }) documentName!: string | null;
  @Column('text', { nullable: true }) documentType!: string | null;
  @Column('text', { nullable: true }) documentSha256!: string | null;
  @Column('bytea', { nullable: true }) document!: Buffer | null;
  @CreateDateColumn({ type: 'timestamptz' }) createdAt!: Date;
  @Column('timestamptz', { nullable: true }) releasedAt!: Date | null;
  /** The staff member who released it, and why (kept here: audit details hold no free text). */
  @Column('text', { nullable: true }) releasedBy!: string | null;
  @Column('text', { nullable: true }) releaseReason!: string | null;
}
