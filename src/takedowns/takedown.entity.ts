import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { Case } from '../cases/case.entity';
import { ReportedLink } from '../cases/reported-link.entity';

export enum TakedownStatus {
  /** Waiting for staff approval (TAKEDOWN_REQUIRE_APPROVAL); no due time yet. */
  AwaitingApproval = 'awaiting_approval',
  Pending = 'pending',
  Done = 'done',
  NotFound = 'not_found',
  Failed = 'failed',
  /** Put back after staff restored the link (a counter-notice, a mistake). */
  Restored = 'restored',
  /** Not carried out: the complainant retracted the notice (or the URL) before it fell due. */
  Cancelled = 'cancelled',
}

/** The site's record of a removed link's page and publisher (personal data: the address). */
export interface RemovedUploader {
  /** Sealed under the uploader's data subject (core/privacy). */
  email: string;
  /** PersonalData.hashEmail of the address: how the uploader's page and a retraction find their takedowns. */
  emailHash?: string;
  label: string | null;
  pageUrl: string | null;
}

export enum TakedownReason {
  /** The reported URL is one of ours. */
  Reported = 'reported',
  /** The reported URL is a file elsewhere that one of our pages links to (17 U.S.C. 512(d)). */
  OutboundLink = 'outbound_link',
}

@Entity('takedowns')
@Index(['reportedLinkId', 'siteRef'], { unique: true })
@Index('takedowns_due', ['dueAt'], { where: "status = 'pending'" })
export class Takedown {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Index() @Column('uuid') caseId!: string;
  @ManyToOne(() => Case, { onDelete: 'CASCADE' }) @JoinColumn({ name: 'case_id' }) case?: Case;
  @Column('uuid') reportedLinkId!: string;
  @ManyToOne(() => ReportedLink, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'reported_link_id' })
  reportedLink?: ReportedLink;
  /** The site adapter's handle for what is removed (a catalog link, or the URL for the webhook adapter). */
  /** Indexed: a restoration looks for every other takedown holding the same ref down (restore.service.ts). */
  @Index() @Column('text') siteRef!: string;
  @Column({ type: 'enum', enum: TakedownReason, enumName: 'takedown_reason' }) reason!: TakedownReason;
  @Column({ type: 'enum', enum: TakedownStatus, enumName: 'takedown_status' }) status!: TakedownStatus;
  @Column('timestamptz', { nullable: true }) dueAt!: Date | null;
  /** A sweeping worker's lease: until then the row is being acted on. A crashed worker's lease simply expires. */
  @Column('timestamptz', { nullable: true }) claimedUntil!: Date | null;
  @Column('int', { default: 0 }) attempts!: number;
  @Column('text', { nullable: true }) lastError!: string | null;
  @Column('timestamptz', { nullable: true }) doneAt!: Date | null;
  /** When the adapter confirmed that the link no longer serves the file. */
  @Column('timestamptz', { nullable: true }) verifiedAt!: Date | null;
  /**
   * The round of removals the takedown belongs to: the routing or staff approval that made it fall due
   * (`routing-<n>`, `approval-<audit event>`); none while it waits for approval. The round's letters go out once,
   * when its last takedown is settled, listing every link it removed.
   */
  @Column('text', { nullable: true }) round!: string | null;
  /** Who published the removed link and where, as the site said when it was removed: for the uploader's letter. */
  @Column('jsonb', { nullable: true }) uploader!: RemovedUploader | null;
  /** The uploader's account as the site named it when the link was removed: whom the strike counts against. */
  @Index() @Column('text', { nullable: true }) uploaderId!: string | null;
  /** When the site put the link back. */
  @Column('timestamptz', { nullable: true }) restoredAt!: Date | null;
  @CreateDateColumn({ type: 'timestamptz' }) createdAt!: Date;
}
