import {
  Column,
  CreateDateColumn,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryGeneratedColumn,
  UpdateDateColumn,
} from 'typeorm';
import type { ChecklistResult } from '../checklist';
import { Case } from './case.entity';
import { Notice, NoticeChannel } from './notice.entity';

/**
 * Where a counter-notice stands: missing elements (`needs_info`), waiting for staff (`in_review`), sent to the
 * complainant with the restore clock running (`forwarded`), the material put back (`restored`), stopped by the
 * complainant's suit (`suit_filed`), withdrawn by its sender (`withdrawn`), or not about this case's removals
 * (`invalid`).
 */
export enum CounterNoticeStatus {
  NeedsInfo = 'needs_info',
  InReview = 'in_review',
  Forwarded = 'forwarded',
  Restored = 'restored',
  SuitFiled = 'suit_filed',
  Withdrawn = 'withdrawn',
  Invalid = 'invalid',
}

/** An uploader's counter-notice under 17 U.S.C. 512(g)(3), and the 512(g)(2) clock it starts once complete. */
@Entity('counter_notices')
/** Forwarded counter-notices by restore date: what the worker restores next. */
@Index('counter_notices_due', ['restoreDueAt'], { where: "status = 'forwarded'" })
export class CounterNotice {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Index() @Column('uuid') caseId!: string;
  @ManyToOne(() => Case, { onDelete: 'CASCADE' }) @JoinColumn({ name: 'case_id' }) case?: Case;
  /** The notice row that keeps what was sent (its text, its checklist) in the case's record. */
  @Column('uuid') noticeId!: string;
  @ManyToOne(() => Notice, { onDelete: 'CASCADE' }) @JoinColumn({ name: 'notice_id' }) notice?: Notice;
  @Column({ type: 'enum', enum: NoticeChannel, enumName: 'notice_channel' }) channel!: NoticeChannel;
  /** The counter-notifier's own status link: never the complainant's. */
  @Index({ unique: true }) @Column('text') statusToken!: string;
  @Column({ type: 'enum', enum: CounterNoticeStatus, enumName: 'counter_notice_status' })
  status!: CounterNoticeStatus;
  @Column('text', { nullable: true }) notifierName!: string | null;
  @Column('text', { nullable: true }) notifierEmail!: string | null;
  @Column('text', { nullable: true }) notifierEmailHash!: string | null;
  /** The data subject whose key seals this row's personal data (core/privacy). */
  @Index() @Column('uuid', { nullable: true }) subjectId!: string | null;
  @Column('text', { nullable: true }) notifierPhone!: string | null;
  @Column('text', { nullable: true }) notifierAddress!: string | null;
  @Column('text', { nullable: true }) notifierCountry!: string | null;
  /** The URLs the counter-notifier wants put back, as given. */
  @Column('text', { array: true, default: () => "'{}'" }) removedUrls!: string[];
  /** What is wrong besides missing elements: URLs never taken down for this case, a case it does not belong to. */
  @Column('text', { array: true, default: () => "'{}'" }) problems!: string[];
  @Column('jsonb') checklist!: ChecklistResult;
  @CreateDateColumn({ type: 'timestamptz' }) receivedAt!: Date;
  /** Receipt of the complete counter-notice: the 512(g)(2)(C) clock counts from here. */
  @Column('timestamptz', { nullable: true }) completedAt!: Date | null;
  @Column('timestamptz', { nullable: true }) restoreNotBefore!: Date | null;
  @Column('timestamptz', { nullable: true }) restoreNotAfter!: Date | null;
  @Column('timestamptz', { nullable: true }) restoreDueAt!: Date | null;
  @Column('timestamptz', { nullable: true }) forwardedAt!: Date | null;
  @Column('timestamptz', { nullable: true }) restoredAt!: Date | null;
  @Column('text', { nullable: true }) suitCourt!: string | null;
  @Column('text', { nullable: true }) suitDocketNumber!: string | null;
  @Column('date', { nullable: true }) suitFiledOn!: string | null;
  @UpdateDateColumn({ type: 'timestamptz' }) updatedAt!: Date;
}
