import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/** An attachment that is not text (PDF, image): kept as evidence with its size and hash, never parsed. */
@Entity('evidence_files')
export class EvidenceFile {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Index() @Column('uuid') inboundMessageId!: string;
  @Index() @Column('uuid', { nullable: true }) caseId!: string | null;
  @Column('text') filename!: string;
  @Column('text') contentType!: string;
  @Column('int') sizeBytes!: number;
  @Column('text') sha256!: string;
  @Column('bytea') content!: Buffer;
  @CreateDateColumn({ type: 'timestamptz' }) createdAt!: Date;
}
