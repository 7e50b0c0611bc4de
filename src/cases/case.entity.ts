import {
  ForeignKey,
  Column,
  CreateDateColumn,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryGeneratedColumn,
  UpdateDateColumn,
} from 'typeorm';
import { StaffUser } from '../auth/staff-user.entity';
import type { ChecklistResult, ElementName, NoticeKind } from '../checklist';
import type { Locale } from '../core/i18n/locales';

/**
 * received → (needs_info | in_review | actioned) → closed, with rejected and withdrawn as ends.
 * needs_info: the notice is deficient and the sender has been asked for the missing elements.
 */
export enum CaseStatus {
  Received = 'received',
  NeedsInfo = 'needs_info',
  InReview = 'in_review',
  Actioned = 'actioned',
  Closed = 'closed',
  Rejected = 'rejected',
  Withdrawn = 'withdrawn',
}

@Entity('cases')
// Written by hand in migrations/*-QueueSearch.ts: trigram search of references (pg_trgm).
@Index('cases_reference_trgm', { synchronize: false })
/** Cases not routed yet, oldest change first: what the reconciler looks for. */
@Index('cases_unrouted', ['updatedAt'], { where: 'routed_at IS NULL' })
@Index('cases_queue_tier', ['queueTier', 'createdAt'])
export class Case {
  @PrimaryGeneratedColumn('uuid') id!: string;
  /** Human reference such as DMCA-2026-000042, from a database sequence. */
  @Index({ unique: true }) @Column('text') reference!: string;
  @Column({ type: 'enum', enum: CaseStatus, enumName: 'case_status' }) status!: CaseStatus;
  @Column('text') kind!: NoticeKind;
  /** Secret part of the public status link; random, never derived from the reference. */
  @Index({ unique: true }) @Column('text') statusToken!: string;
  /** The first notice's language: the complainant's letters and the status page are written in it. */
  @Column('text', { default: 'en' }) language!: Locale;
  /** The checklist over the case's whole record (latest revision). */
  @Column('jsonb') checklist!: ChecklistResult;
  @Column('text', { array: true, default: () => "'{}'" }) searchTerms!: string[];
  /** Catalog pages whose titles match the search terms: copies the notice may have missed. */
  @Column('jsonb', { default: () => "'[]'" }) searchMatches!: { slug: string; title: string; url: string }[];
  /** Set once the router has created the case's takedowns, referrals and letters. */
  @Column('timestamptz', { nullable: true }) routedAt!: Date | null;
  /** The staff member working the case. */
  @Index() @Column('uuid', { nullable: true }) assigneeId!: string | null;
  @ManyToOne(() => StaffUser, { onDelete: 'SET NULL' }) @JoinColumn({ name: 'assignee_id' }) assignee?: StaffUser;
  /**
   * The agency whose API key filed the case; it may read the case through its key. A foreign key by the entity's
   * name, without a relation: agencies/ sits above the case domain (it reads cases), so cases/ does not import it.
   */
  @Index()
  @ForeignKey('Agency', { onDelete: 'SET NULL' })
  @Column('uuid', { nullable: true })
  agencyId!: string | null;
  /** Service level: staff should first act by ackDueAt and decide by actionDueAt (business days, see sla.ts). */
  @Column('timestamptz', { nullable: true }) ackDueAt!: Date | null;
  @Index() @Column('timestamptz', { nullable: true }) actionDueAt!: Date | null;
  /** The first staff action on the case since its clock last started. */
  @Column('timestamptz', { nullable: true }) acknowledgedAt!: Date | null;
  /** Staff decisions on checklist elements, over the checker's findings (see effectiveChecklist). */
  @Column('jsonb', { default: () => "'{}'" }) elementOverrides!: ElementOverrides;
  /** How many links the case's notices reported (distinct URLs); kept by intake, for the queue's sort. */
  @Index() @Column('int', { default: 0 }) linkCount!: number;
  /**
   * Where the queue puts the case before its other order: 0 for a trusted flagger's notice (DSA Art. 22(1): handled
   * first), 1 for everyone else's.
   */
  @Column('smallint', { default: 1 }) queueTier!: number;
  /** When retention erased the parties' personal data of the closed case (privacy/retention.ts); null until then. */
  @Column('timestamptz', { nullable: true }) personalDataErasedAt!: Date | null;
  @Index() @CreateDateColumn({ type: 'timestamptz' }) createdAt!: Date;
  @UpdateDateColumn({ type: 'timestamptz' }) updatedAt!: Date;
}

export interface ElementOverride {
  present: boolean;
  reason: string;
  by: string;
  at: string;
}
export type ElementOverrides = Partial<Record<ElementName, ElementOverride>>;
