import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { Case } from '../cases/case.entity';

/** Who complains: the uploader through their status link, or the complainant through theirs. */
export enum ComplaintBy {
  Uploader = 'uploader',
  Complainant = 'complainant',
}

/** The decision contested (DSA Art. 20(1)). */
export enum ComplaintSubject {
  /** The removal of the uploader's material for the case's notice. */
  Removal = 'removal',
  /** The repeat-infringer strike the removal gave the uploader's account. */
  Strike = 'strike',
  /** The termination of the uploader's account. */
  Termination = 'termination',
  /** Staff's rejection of the complainant's notice. */
  Rejection = 'rejection',
  /** The restoration of material the complainant's notice had removed (after a counter-notice, a complaint or staff). */
  Restoration = 'restoration',
  /** Staff's warning to the notifier about manifestly unfounded notices (DSA Art. 23(1)). */
  NotifierWarning = 'notifier_warning',
  /** Staff's suspension of the notifier (DSA Art. 23(2)). */
  NotifierSuspension = 'notifier_suspension',
}

export enum ComplaintStatus {
  Received = 'received',
  InReview = 'in_review',
  /** The decision stands: the complaint did not succeed. */
  Upheld = 'upheld',
  /**
   * The complaint succeeded: the decision is undone (links restored, strike voided, account reinstated, case re-opened,
   * a notifier's warning withdrawn or suspension ended).
   */
  Reversed = 'reversed',
}

/**
 * A complaint against a decision (DSA Art. 20): its own record in the case, with its own workflow, decided by a
 * person (another than the one who made the decision, where the team has one), with a reasoned answer.
 */
@Entity('complaints')
@Index('complaints_open', ['caseId', 'by', 'subject'], {
  unique: true,
  where: "status IN ('received', 'in_review')",
})
export class Complaint {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Index() @Column('uuid') caseId!: string;
  @ManyToOne(() => Case, { onDelete: 'CASCADE' }) @JoinColumn({ name: 'case_id' }) case?: Case;
  @Column({ type: 'enum', enum: ComplaintBy, enumName: 'complaint_by' }) by!: ComplaintBy;
  @Column({ type: 'enum', enum: ComplaintSubject, enumName: 'complaint_subject' }) subject!: ComplaintSubject;
  @Column({ type: 'enum', enum: ComplaintStatus, enumName: 'complaint_status', default: ComplaintStatus.Received })
  status!: ComplaintStatus;
  /** Their words, sealed under their data subject. */
  @Column('text') text!: string;
  /** The complaining person's address hash (an uploader's, from their status link), and their data subject. */
  @Column('text', { nullable: true }) emailHash!: string | null;
  @Index() @Column('uuid', { nullable: true }) subjectId!: string | null;
  /** The uploader accounts the complaint is about (uploader complaints), as the takedowns name them. */
  @Column('text', { array: true, default: () => "'{}'" }) uploaderIds!: string[];
  /** When the person was told of the decision: the six months of Art. 20(1) run from here. */
  @Column('timestamptz') toldAt!: Date;
  /** The staff account that made the contested decision, when a person made it. */
  @Column('text', { nullable: true }) decisionBy!: string | null;
  @Column('text', { default: 'en' }) language!: string;
  /**
   * Filed while its filer was suspended as a notifier (DSA Art. 23(1)): kept, but not taken up while the suspension
   * lasts. The suspension's end as it stood when the complaint came; lifting it early frees the complaint at once.
   */
  @Column('timestamptz', { nullable: true }) heldUntil!: Date | null;
  @CreateDateColumn({ type: 'timestamptz' }) receivedAt!: Date;
  @Column('text', { nullable: true }) reviewedBy!: string | null;
  @Column('text', { nullable: true }) decidedBy!: string | null;
  @Column('timestamptz', { nullable: true }) decidedAt!: Date | null;
  /** The reasoned answer, as the person was told it (staff's words). */
  @Column('text', { nullable: true }) answer!: string | null;
}
