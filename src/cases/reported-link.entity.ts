import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import type { LinkClassification, LinkRole } from '../links';
import { Notice } from '../notices/notice.entity';
import { Case } from './case.entity';

export enum LinkStatus {
  Pending = 'pending',
  Approved = 'approved',
  TakenDown = 'taken_down',
  Referred = 'referred',
  Rejected = 'rejected',
  Restored = 'restored',
  NotFound = 'not_found',
  Ignored = 'ignored',
}

@Entity('reported_links')
@Index(['caseId', 'url'], { unique: true })
// Written by hand in migrations/*-QueueSearch.ts: trigram search of URLs, and the reversed host for domain filters.
@Index('reported_links_url_trgm', { synchronize: false })
@Index('reported_links_host_reversed', { synchronize: false })
export class ReportedLink {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column('uuid') caseId!: string;
  @ManyToOne(() => Case, { onDelete: 'CASCADE' }) @JoinColumn({ name: 'case_id' }) case?: Case;
  @Index() @Column('uuid') noticeId!: string;
  @ManyToOne(() => Notice, { onDelete: 'CASCADE' }) @JoinColumn({ name: 'notice_id' }) notice?: Notice;
  /** Normalised URL; for an invalid link, the text as written. */
  @Column('text') url!: string;
  @Column('text') raw!: string;
  @Column('text') classification!: LinkClassification;
  @Index() @Column('text', { nullable: true }) provider!: string | null;
  @Column('text') role!: LinkRole;
  @Column({ type: 'enum', enum: LinkStatus, enumName: 'link_status', default: LinkStatus.Pending }) status!: LinkStatus;
  @Column('int') position!: number;
  /** Set when staff re-sorted the link: what the classifier had said, who changed it and why. */
  @Column('jsonb', { nullable: true }) sortingOverride!: SortingOverride | null;
}

export interface SortingOverride {
  from: { classification: LinkClassification; provider: string | null };
  reason: string;
  by: string;
  at: string;
}
