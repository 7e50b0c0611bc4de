import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import type { ChecklistResult, StructuredNotice } from '../checklist';
import type { Locale } from '../core/i18n/locales';
import { Case } from './case.entity';

export enum NoticeChannel {
  Api = 'api',
  Form = 'form',
  Email = 'email',
}

@Entity('notices')
// Written by hand in migrations/*-PersonalDataSealed.ts: the letter cap asks whether an address is a verified sender
// (sender_email_hash WHERE channel = 'email' AND auth->>'dmarc' = 'pass').
@Index('notices_verified_sender', { synchronize: false })
export class Notice {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Index() @Column('uuid') caseId!: string;
  @ManyToOne(() => Case, { onDelete: 'CASCADE' }) @JoinColumn({ name: 'case_id' }) case?: Case;
  @Column({ type: 'enum', enum: NoticeChannel, enumName: 'notice_channel' }) channel!: NoticeChannel;
  /** Free text exactly as received. */
  @Column('text', { nullable: true }) rawText!: string | null;
  /** Structured fields as received, personal data included (see parties for the normalised copy). */
  @Column('jsonb', { nullable: true }) structured!: StructuredNotice | null;
  /** What the notice is written in (checklist's detectLanguage, or the language an API sender gave). */
  @Column('text', { default: 'en' }) language!: Locale;
  @Column('jsonb') checklist!: ChecklistResult;
  @Column('int') linkCount!: number;
  /** For email: the stored raw message this notice was parsed from. */
  @Column('uuid', { nullable: true }) inboundMessageId!: string | null;
  /** The address it came from (From of an email, the form's or API's email field). */
  @Column('text', { nullable: true }) senderEmail!: string | null;
  @Index() @Column('text', { nullable: true }) senderEmailHash!: string | null;
  /** The data subject whose key seals this row's personal data (core/privacy). */
  @Index() @Column('uuid', { nullable: true }) subjectId!: string | null;
  /** SPF, DKIM and DMARC results of an email, as mailauth reported them. */
  @Column('jsonb', { nullable: true }) auth!: Record<string, unknown> | null;
  /** Reasons for a human to look before anything is done: dmarc_fail, sender_not_complainant, … */
  @Column('text', { array: true, default: () => "'{}'" }) flags!: string[];
  @CreateDateColumn({ type: 'timestamptz' }) receivedAt!: Date;
}
