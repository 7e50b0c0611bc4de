import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import type { Locale } from '../core/i18n/locales';
import type { Retained } from './erasure.service';

export enum PrivacyRequestKind {
  Access = 'access',
  Erasure = 'erasure',
}

export enum PrivacyRequestStatus {
  /** Waiting for the requester to follow the mailed link, or (entered by staff) for staff. */
  Received = 'received',
  /** The requester proved the address; an erasure now waits for staff. */
  Confirmed = 'confirmed',
  /** A parent's request for a minor's data: the data is withheld everywhere until staff decide. */
  Suppressed = 'suppressed',
  Done = 'done',
  /** Erased, but for what a legal hold or obligation keeps (outcome.retained says what and why). */
  PartiallyRetained = 'partially_retained',
  Rejected = 'rejected',
}

export enum PrivacyRequestChannel {
  /** The public form: the address is proved by the mailed link. */
  Form = 'form',
  /** Entered by staff (the command line): staff have checked who asks. */
  Staff = 'staff',
}

export interface PrivacyRequestOutcome {
  retained: Retained[];
  /** The cases that held the person's data. */
  caseIds: string[];
}

/**
 * A request from the person the data is about (or a minor's parent or guardian): access or erasure. Addresses and
 * the requester's words are sealed (PersonalData); the address is found by its keyed hash.
 */
@Entity('privacy_requests')
/** The staff queue: open requests by deadline. */
@Index('privacy_requests_open', ['dueAt'], { where: "status IN ('received', 'confirmed', 'suppressed')" })
export class PrivacyRequest {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column({ type: 'enum', enum: PrivacyRequestKind, enumName: 'privacy_request_kind' }) kind!: PrivacyRequestKind;
  @Column('boolean', { default: false }) minor!: boolean;
  @Column({ type: 'enum', enum: PrivacyRequestStatus, enumName: 'privacy_request_status' })
  status!: PrivacyRequestStatus;
  @Column({ type: 'enum', enum: PrivacyRequestChannel, enumName: 'privacy_request_channel' })
  channel!: PrivacyRequestChannel;
  /** The address the data is about, sealed under that address's data subject (erased with it). */
  @Column('text') email!: string;
  @Index() @Column('text') emailHash!: string;
  /** A minor's request: the parent's or guardian's own address, sealed under theirs. The mail goes there. */
  @Column('text', { nullable: true }) requesterEmail!: string | null;
  /** The requester's language (the form's, or DEFAULT_LOCALE for one staff entered): our mail to them is in it. */
  @Column('text', { default: 'en' }) language!: Locale;
  /** What the requester wrote, sealed under the requester's subject. */
  @Column('text', { nullable: true }) details!: string | null;
  /** SHA-256 of the mailed confirmation token (the token itself is derived from the id with APP_SECRET). */
  @Index({ unique: true }) @Column('text', { nullable: true }) confirmTokenHash!: string | null;
  @Column('timestamptz', { nullable: true }) confirmedAt!: Date | null;
  @CreateDateColumn({ type: 'timestamptz' }) receivedAt!: Date;
  /** PRIVACY_REQUEST_DAYS after receipt; PRIVACY_MINOR_HOURS for a minor's. */
  @Column('timestamptz') dueAt!: Date;
  /** A staff account id, or cli:<user>. */
  @Column('text', { nullable: true }) decidedBy!: string | null;
  @Column('timestamptz', { nullable: true }) decidedAt!: Date | null;
  /** Why staff rejected it, sealed under the requester's subject: the requester is told. */
  @Column('text', { nullable: true }) decisionReason!: string | null;
  @Column('jsonb', { nullable: true }) outcome!: PrivacyRequestOutcome | null;
  /**
   * Where the outcome goes once the person is erased: the address, sealed under a subject of this request's own,
   * erased as soon as the outcome mail has gone.
   */
  @Column('text', { nullable: true }) replyTo!: string | null;
  /** The access export's link works until then; a new link replaces the old one. */
  @Column('timestamptz', { nullable: true }) exportExpiresAt!: Date | null;
}

/** Every step of a request, append-only (a trigger refuses UPDATE, DELETE and TRUNCATE); ids and statuses only. */
@Entity('privacy_request_events')
export class PrivacyRequestEvent {
  @PrimaryGeneratedColumn('increment', { type: 'bigint' }) id!: string;
  @Index() @Column('uuid') requestId!: string;
  @ManyToOne(() => PrivacyRequest, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'request_id' })
  request?: PrivacyRequest;
  /** 'requester', 'worker', a staff account id, or cli:<user>. */
  @Column('text') actor!: string;
  @Column('text') action!: string;
  @Column('jsonb', { default: () => "'{}'" }) detail!: Record<string, unknown>;
  @CreateDateColumn({ type: 'timestamptz' }) at!: Date;
}
