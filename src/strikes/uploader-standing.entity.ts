import { Column, Entity, Index, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';

export enum UploaderStandingStatus {
  Good = 'good',
  /** At the strike threshold: staff are asked to approve termination. Only a person does. */
  Recommended = 'recommended',
  /** Terminated by staff: the site hides the uploader's pages and answers 451 for their downloads. */
  Suspended = 'suspended',
}

/** Where an uploader stands under the repeat-infringer policy: made with their first strike. */
@Entity('uploader_standings')
export class UploaderStanding {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Index({ unique: true }) @Column('text') uploaderId!: string;
  @Column({
    type: 'enum',
    enum: UploaderStandingStatus,
    enumName: 'uploader_standing_status',
    default: UploaderStandingStatus.Good,
  })
  status!: UploaderStandingStatus;
  /** The latest address the site gave for the uploader, sealed under their data subject: for their letters. */
  @Column('text', { nullable: true }) email!: string | null;
  @Column('text', { nullable: true }) emailHash!: string | null;
  @Index() @Column('uuid', { nullable: true }) subjectId!: string | null;
  /** The case of the latest strike: the letters about the account are recorded there. */
  @Column('uuid', { nullable: true }) lastCaseId!: string | null;
  @Column('timestamptz', { nullable: true }) recommendedAt!: Date | null;
  /** Active strikes when the recommendation was made, and when staff approved the termination. */
  @Column('int', { nullable: true }) recommendedStrikes!: number | null;
  @Column('timestamptz', { nullable: true }) suspendedAt!: Date | null;
  @Column('text', { nullable: true }) suspendedBy!: string | null;
  @Column('int', { nullable: true }) suspendedStrikes!: number | null;
  /** The decision's reference given to the site and in the letter (TERM-…). */
  @Column('text', { nullable: true }) suspensionReference!: string | null;
  @UpdateDateColumn({ type: 'timestamptz' }) updatedAt!: Date;
}
