import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';

/** Editable wording staff choose from when they reject a notice; the body goes to the sender in the letter. */
@Entity('reason_templates')
export class ReasonTemplate {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Index({ unique: true }) @Column('text') title!: string;
  @Column('text') body!: string;
  /** An archived template is no longer offered; letters already sent keep their text. */
  @Column('timestamptz', { nullable: true }) archivedAt!: Date | null;
  @CreateDateColumn({ type: 'timestamptz' }) createdAt!: Date;
  @UpdateDateColumn({ type: 'timestamptz' }) updatedAt!: Date;
}
