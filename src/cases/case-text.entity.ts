import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { Case } from './case.entity';

/**
 * Words people wrote about a case (staff's notes and reasons, a complainant's reason for retracting), kept apart
 * from the append-only audit log, which refers to each by its id. Not append-only: erasure empties `text` and
 * stamps `erased_at`, and the audit event that names the row stays as it was.
 */
@Entity('case_texts')
export class CaseText {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Index() @Column('uuid') caseId!: string;
  @ManyToOne(() => Case, { onDelete: 'CASCADE' }) @JoinColumn({ name: 'case_id' }) case?: Case;
  /** Who wrote it, as audit_events.actor: a staff account id, 'sender', 'worker', 'system'. */
  @Column('text') author!: string;
  /** What the text is (CaseTextKind): note, reason, message, retraction_reason, withdrawal_reason. */
  @Column('text') kind!: string;
  /** Null once erased. */
  @Column('text', { nullable: true }) text!: string | null;
  @CreateDateColumn({ type: 'timestamptz' }) createdAt!: Date;
  @Column('timestamptz', { nullable: true }) erasedAt!: Date | null;
}
