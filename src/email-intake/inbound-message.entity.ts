import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

export enum InboundChannel {
  Smtp = 'smtp',
  Imap = 'imap',
  Webhook = 'webhook',
}

export enum InboundStatus {
  /** Kept raw, waiting for the worker to parse it. */
  Stored = 'stored',
  /** Became a notice (new case, or a revision of one). */
  Parsed = 'parsed',
  /** Could not be parsed, or tripped a limit: kept raw for staff, with the reason. */
  Quarantined = 'quarantined',
  /** Recognised as not a notice (auto-reply, bounce, our own letter) and deliberately not turned into a case. */
  Ignored = 'ignored',
  /** The same message (Message-ID and content) was already stored: kept, but not parsed again. */
  Duplicate = 'duplicate',
}

/** One email exactly as received, stored before the sender is told it was accepted. */
@Entity('inbound_messages')
/** One original per Message-ID and content; any number of duplicates of it (InboundStoreService). */
@Index('inbound_messages_dedupe', ['messageId', 'contentHash'], { unique: true, where: "status <> 'duplicate'" })
/** Messages stored and not parsed yet: what the reconciler looks for. */
@Index('inbound_messages_unparsed', ['receivedAt'], { where: "status = 'stored'" })
export class InboundMessage {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column({ type: 'enum', enum: InboundChannel, enumName: 'inbound_channel' }) channel!: InboundChannel;
  /** Empty once retention removed it (rawRemovedAt): the row stays, for the case's record and for dedupe. */
  @Column('bytea') raw!: Buffer;
  @Column('int') sizeBytes!: number;
  /** SHA-256 of the message's content (body and the headers that make it this message, not the Received trail). */
  @Column('text') contentHash!: string;
  @Column('text', { nullable: true }) messageId!: string | null;
  @Column('text', { nullable: true }) envelopeFrom!: string | null;
  /** The data subject whose key seals this row's personal data (core/privacy). */
  @Index() @Column('uuid', { nullable: true }) subjectId!: string | null;
  @Column('text', { array: true, default: () => "'{}'" }) envelopeTo!: string[];
  @Column({ type: 'enum', enum: InboundStatus, enumName: 'inbound_status', default: InboundStatus.Stored })
  status!: InboundStatus;
  @Column('text', { nullable: true }) reason!: string | null;
  @Index() @Column('uuid', { nullable: true }) caseId!: string | null;
  @Column('uuid', { nullable: true }) noticeId!: string | null;
  @CreateDateColumn({ type: 'timestamptz' }) receivedAt!: Date;
  @Column('timestamptz', { nullable: true }) processedAt!: Date | null;
  /** When retention emptied `raw` and deleted the message's evidence files. */
  @Column('timestamptz', { nullable: true }) rawRemovedAt!: Date | null;
}
