import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import type { LinkClassification, LinkRole } from '../links';
import { Notice } from './notice.entity';
import { Case } from './case.entity';

/**
 * SQL for the reversed host of the URL in `column`: scheme, optional userinfo, then the host up to a port, path,
 * query or hash, lower-cased and reversed; null for text that is not such a URL.
 */
export const hostReversedSql = (column: string): string =>
  `reverse(lower(substring(${column} from '^[A-Za-z][A-Za-z0-9+.-]*://(?:[^@/?#]*@)?([^/:?#]+)')))`;

export enum LinkStatus {
  Pending = 'pending',
  Approved = 'approved',
  TakenDown = 'taken_down',
  Referred = 'referred',
  Rejected = 'rejected',
  Restored = 'restored',
  NotFound = 'not_found',
  Ignored = 'ignored',
  /** The complainant retracted the notice, or this URL of it: nothing more is done with it. */
  Retracted = 'retracted',
}

@Entity('reported_links')
@Index(['caseId', 'url'], { unique: true })
// Written by hand: trigram search of URLs (migrations/*-QueueSearch.ts); host and case for domain filters (*-LinkHost.ts).
@Index('reported_links_url_trgm', { synchronize: false })
@Index('reported_links_host', { synchronize: false })
/** Approved links, by case: the links an approval still has to act on. */
@Index('reported_links_approved', ['caseId'], { where: "status = 'approved'" })
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
  /** What decided the role ("section: infringing material", "cue: original"), for staff who check the sorting. */
  @Column('text', { nullable: true }) roleReason!: string | null;
  /** The classifier's note: why a link is invalid, or what is unusual about a valid one. */
  @Column('text', { nullable: true }) classificationNote!: string | null;
  @Column({ type: 'enum', enum: LinkStatus, enumName: 'link_status', default: LinkStatus.Pending }) status!: LinkStatus;
  @Column('int') position!: number;
  /**
   * The link's host reversed ("com.example.www"), written with the link (hostReversedSql): "this domain and its
   * subdomains" is then an index range (see CaseQueueService).
   */
  @Column('text', { nullable: true }) hostReversed!: string | null;
  /** Set when staff re-sorted the link: what the classifier had said, who changed it and why. */
  @Column('jsonb', { nullable: true }) sortingOverride!: SortingOverride | null;
}

export interface SortingOverride {
  from: { classification: LinkClassification; provider: string | null };
  reason: string;
  by: string;
  at: string;
}
