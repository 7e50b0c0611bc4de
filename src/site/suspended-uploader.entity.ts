import { Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';

/**
 * An uploader the built-in catalog has terminated under the repeat-infringer policy: their pages are hidden and their
 * downloads answer 451 while the row exists. Reinstatement deletes it.
 */
@Entity('catalog_suspended_uploaders')
export class SuspendedUploader {
  @PrimaryColumn('text') uploaderId!: string;
  /** The decision's reference, shown on the 451 page. */
  @Column('text') reference!: string;
  @CreateDateColumn({ type: 'timestamptz' }) suspendedAt!: Date;
}
