import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/** A software page of the built-in catalog, at /software/:slug. */
@Entity('software_pages')
export class SoftwarePage {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Index({ unique: true }) @Column('text') slug!: string;
  @Column('text') title!: string;
  @Column('text', { default: '' }) description!: string;
  /** Who published the page, for the notice to the uploader. Personal data. */
  @Column('text', { nullable: true }) uploaderEmail!: string | null;
  @Index() @Column('text', { nullable: true }) uploaderEmailHash!: string | null;
  /** The publisher's account on the site: whom repeat-infringer strikes count against. */
  @Index() @Column('text', { nullable: true }) uploaderId!: string | null;
  @CreateDateColumn({ type: 'timestamptz' }) createdAt!: Date;
}
