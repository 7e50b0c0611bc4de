import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { Case } from './case.entity';

/**
 * An uploader's private status link for one case: unguessable, one per uploader and case, and never the
 * complainant's. It shows what was removed of theirs, under which notice, and their counter-notice.
 */
@Entity('uploader_links')
@Index(['caseId', 'emailHash'], { unique: true })
export class UploaderLink {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column('uuid') caseId!: string;
  @ManyToOne(() => Case, { onDelete: 'CASCADE' }) @JoinColumn({ name: 'case_id' }) case?: Case;
  /** The uploader's address, lower-cased, as the site gave it for the removed links. */
  @Column('text') email!: string;
  /** Null only on links written before addresses were sealed. */
  @Column('text', { nullable: true }) emailHash!: string | null;
  /** The data subject whose key seals this row's personal data (core/privacy). */
  @Index() @Column('uuid', { nullable: true }) subjectId!: string | null;
  @Index({ unique: true }) @Column('text') token!: string;
  @CreateDateColumn({ type: 'timestamptz' }) createdAt!: Date;
}
