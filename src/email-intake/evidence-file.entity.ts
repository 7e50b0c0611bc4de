import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/**
 * An attachment that is not text (PDF, image): kept as evidence with its size and hash, never parsed. Its bytes are
 * those of its MIME part in the raw message (`mimePart`), kept and removed with it; files stored before that was so
 * carry their own sealed copy in `content`.
 */
@Entity('evidence_files')
export class EvidenceFile {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Index() @Column('uuid') inboundMessageId!: string;
  @Index() @Column('uuid', { nullable: true }) caseId!: string | null;
  @Column('text') filename!: string;
  @Column('text') contentType!: string;
  @Column('int') sizeBytes!: number;
  @Column('text') sha256!: string;
  /** The part's id in the raw message, after those of the forwarded messages it is inside ('' for a one-part message). */
  @Column('text', { array: true, nullable: true }) mimePart!: string[] | null;
  /** Only for files stored before `mimePart`: their own sealed copy. */
  @Column('bytea', { nullable: true }) content!: Buffer | null;
  @CreateDateColumn({ type: 'timestamptz' }) createdAt!: Date;
}
