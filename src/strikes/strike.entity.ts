import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { Case } from '../cases/case.entity';

export enum StrikeVoidReason {
  /** The complainant retracted the notice. */
  Retracted = 'retracted',
  /** 512(g)(2)(C): the material was put back after a counter-notice, no suit having been filed. */
  CounterNoticeRestored = 'counter_notice_restored',
  /** Staff put the material back: the removal was a mistake. */
  RestoredByStaff = 'restored_by_staff',
  /** A complaint against the removal or the strike was upheld (DSA Art. 20). */
  ComplaintUpheld = 'complaint_upheld',
}

/**
 * One strike against an uploader's account (17 U.S.C. 512(i)): one per notice acted on and uploader, however many of
 * their links it named. Active while not voided and before it expires.
 */
@Entity('strikes')
@Index(['uploaderId', 'caseId'], { unique: true })
export class Strike {
  @PrimaryGeneratedColumn('uuid') id!: string;
  /** The uploader's account as the site knows it (SiteLink.uploaderId). */
  @Column('text') uploaderId!: string;
  @Index() @Column('uuid') caseId!: string;
  @ManyToOne(() => Case, { onDelete: 'CASCADE' }) @JoinColumn({ name: 'case_id' }) case?: Case;
  /** When the removal was carried out (the clock's time). */
  @Column('timestamptz') createdAt!: Date;
  @Column('timestamptz') expiresAt!: Date;
  @Column('timestamptz', { nullable: true }) voidedAt!: Date | null;
  @Column({ type: 'enum', enum: StrikeVoidReason, enumName: 'strike_void_reason', nullable: true })
  voidReason!: StrikeVoidReason | null;
  /** 'worker', 'system', 'sender' or a staff account id. */
  @Column('text', { nullable: true }) voidedBy!: string | null;
}
