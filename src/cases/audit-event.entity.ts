import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/** Append-only: the product inserts rows and never updates or deletes them. */
@Entity('audit_events')
/** Staff approvals and restorations, which the reconciler checks were carried out. */
@Index('audit_events_approvals', ['id'], { where: "action = 'takedowns.approved'" })
@Index('audit_events_restorations', ['id'], { where: "action IN ('links.restored', 'notice.retracted')" })
export class AuditEvent {
  @PrimaryGeneratedColumn('increment', { type: 'bigint' }) id!: string;
  @Index() @Column('uuid') caseId!: string;
  /** 'system', 'worker', 'sender' (the complainant), 'uploader', or a staff account id. */
  @Column('text') actor!: string;
  @Column('text') action!: string;
  @Column('jsonb', { default: () => "'{}'" }) detail!: Record<string, unknown>;
  @CreateDateColumn({ type: 'timestamptz' }) at!: Date;
}
