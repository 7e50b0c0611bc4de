import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { Case } from '../cases/case.entity';

export enum LetterKind {
  Receipt = 'receipt',
  Deficiency = 'deficiency',
  Referral = 'referral',
  TakedownDone = 'takedown_done',
  Uploader = 'uploader',
  /** Staff rejected the notice, with the reason chosen from the reason templates. */
  Rejection = 'rejection',
  /** 512(g)(2)(B): a copy of a complete counter-notice to the complainant, with the restore date. */
  CounterNoticeForward = 'counter_notice_forward',
  /** To the counter-notifier: their counter-notice was forwarded, their details with it, and the restore dates. */
  CounterNoticeReceipt = 'counter_notice_receipt',
  /** To the counter-notifier: what their counter-notice lacks, or what is wrong with it. */
  CounterNoticeDeficiency = 'counter_notice_deficiency',
  /** To both parties: the material was put back after the counter-notice's waiting period. */
  CounterNoticeRestored = 'counter_notice_restored',
  /** To both parties: the complainant's suit stopped the restoration. */
  CounterNoticeSuit = 'counter_notice_suit',
  /** To both parties: the counter-notice was withdrawn at its sender's request; nothing will be restored for it. */
  CounterNoticeWithdrawn = 'counter_notice_withdrawn',
  /** To the complainant: their retraction is recorded, and what it undid. */
  RetractionConfirmed = 'retraction_confirmed',
  /** To a storage provider we referred the complainant to: the notice for these files was retracted. */
  ReferralRetracted = 'referral_retracted',
  /** To an uploader: material removed for a notice its sender retracted is back. */
  RetractionRestored = 'retraction_restored',
  /** To an uploader: staff terminated the account under the repeat-infringer policy (512(i)), and how to contest it. */
  UploaderTerminated = 'uploader_terminated',
  /** To an uploader: the terminated account was reinstated. */
  UploaderReinstated = 'uploader_reinstated',
  /** To whoever complained against a decision (DSA Art. 20): the complaint is received. */
  ComplaintReceived = 'complaint_received',
  /** To whoever complained: the decision on the complaint, with its reasons and the other ways to redress. */
  ComplaintDecided = 'complaint_decided',
  /** To a notifier: staff warned them about manifestly unfounded notices (DSA Art. 23(3)), and why. */
  NotifierWarning = 'notifier_warning',
  /** To a notifier: staff suspended the processing of their notices until a date, and why. */
  NotifierSuspended = 'notifier_suspended',
  /** To a suspended notifier: their new notice is kept but not processed while the suspension lasts. */
  NotifierNoticeHeld = 'notifier_notice_held',
  /** To a notifier: staff lifted the suspension before its end; its notices are processed again. */
  NotifierLifted = 'notifier_lifted',
}

export enum LetterStatus {
  /** Rendered and recorded; sending is the mail worker's. */
  Queued = 'queued',
  Sent = 'sent',
  Failed = 'failed',
}

@Entity('letters')
/** The held letters, for their release (and for a reconciler: a held letter is owed only from held_until on). */
@Index('letters_held', ['heldUntil'], { where: "status = 'queued' AND held_until IS NOT NULL" })
/** A mailbox's held letters, oldest first: what one release puts in its digest. */
@Index('letters_held_by_recipient', ['recipientKey', 'createdAt'], {
  where: "status = 'queued' AND held_until IS NOT NULL",
})
/** Letters not sent yet, oldest first: what the reconciler looks for. */
@Index('letters_unsent', ['createdAt'], { where: "status = 'queued'" })
export class Letter {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Index() @Column('uuid') caseId!: string;
  @ManyToOne(() => Case, { onDelete: 'CASCADE' }) @JoinColumn({ name: 'case_id' }) case?: Case;
  @Column({ type: 'enum', enum: LetterKind, enumName: 'letter_kind' }) kind!: LetterKind;
  /** Makes recording idempotent: one letter per case, kind and occasion. */
  @Index({ unique: true }) @Column('text') dedupeKey!: string;
  @Column('text', { nullable: true }) recipient!: string | null;
  /** The data subject whose key seals this row's personal data (core/privacy). */
  @Index() @Column('uuid', { nullable: true }) subjectId!: string | null;
  /** The recipient's mailbox as the cap counts it (recipientKey): its held letters are released together. */
  @Column('text', { nullable: true }) recipientKey!: string | null;
  @Column('text') subject!: string;
  @Column('text') text!: string;
  @Column('text') html!: string;
  @Column({ type: 'enum', enum: LetterStatus, enumName: 'letter_status', default: LetterStatus.Queued })
  status!: LetterStatus;
  /** Our Message-ID for the letter, fixed when it is recorded so that a resend is recognisably the same mail. */
  @Index({ unique: true, where: 'message_id IS NOT NULL' }) @Column('text', { nullable: true }) messageId!:
    string | null;
  /** Threading: the Message-ID this letter answers, and the chain before it. */
  @Column('text', { nullable: true }) inReplyTo!: string | null;
  @Column('text', { array: true, default: () => "'{}'" }) references!: string[];
  /** Tries, each counted before its SMTP conversation begins. */
  @Column('int', { default: 0 }) attempts!: number;
  /**
   * Set when a try begins, cleared when its outcome is recorded. Still set when the letter is claimed again: that
   * try's worker died (or lost Postgres) mid-send, perhaps after the server's 250, and the next try is a re-send.
   */
  @Column('timestamptz', { nullable: true }) sendingSince!: Date | null;
  /** Tries made after a try whose outcome was never recorded: copies the recipient may have had twice (one Message-ID). */
  @Column('int', { default: 0 }) resends!: number;
  @Column('text', { nullable: true }) lastError!: string | null;
  @CreateDateColumn({ type: 'timestamptz' }) createdAt!: Date;
  @Column('timestamptz', { nullable: true }) sentAt!: Date | null;
  /** While a sender has the letter: set when it claims it, cleared when it records the outcome, or it runs out. */
  @Column('timestamptz', { nullable: true }) claimedUntil!: Date | null;
  /**
   * Held by the per-recipient cap (letters.config.ts): a queued letter is not sent before this time, and then goes
   * out together with the recipient's other held letters in one digest. Kept once sent, as the record of the wait.
   * A queued letter with held_until still ahead is waiting on purpose, not lost.
   */
  @Column('timestamptz', { nullable: true }) heldUntil!: Date | null;
}
