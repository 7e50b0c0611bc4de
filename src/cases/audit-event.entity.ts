import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/** Append-only: the product inserts rows and never updates or deletes them. */
@Entity('audit_events')
export class AuditEvent {
  @PrimaryGeneratedColumn('increment', { type: 'bigint' }) id!: string;
  @Index() @Column('uuid') caseId!: string;
  /** 'system', 'worker', 'sender', or a staff account id. */
  @Column('text') actor!: string;
  @Column('text') action!: string;
  @Column('jsonb', { default: () => "'{}'" }) detail!: Record<string, unknown>;
  @CreateDateColumn({ type: 'timestamptz' }) at!: Date;
}
