import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/**
 * A rights-holder agency that files many notices: its API key (`tda_…`) files notices and reads only the cases it
 * filed. Only the key's SHA-256 is kept.
 */
@Entity('agencies')
export class Agency {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column('text') name!: string;
  @Column('text') contactEmail!: string;
  @Index({ unique: true }) @Column('text') keyHash!: string;
  @Column('uuid', { nullable: true }) createdBy!: string | null;
  @CreateDateColumn({ type: 'timestamptz' }) createdAt!: Date;
  @Column('timestamptz', { nullable: true }) lastUsedAt!: Date | null;
  @Column('timestamptz', { nullable: true }) revokedAt!: Date | null;
  /**
   * A trusted flagger (DSA Art. 22): since when, designated by which authority, for which area. Its notices get
   * SLA_TRUSTED_ACTION_BUSINESS_DAYS, come first in the queue, are acted on at once by the auto-action policy, and
   * are counted apart.
   */
  @Column('timestamptz', { nullable: true }) trustedFlaggerSince!: Date | null;
  @Column('text', { nullable: true }) trustedFlaggerAuthority!: string | null;
  @Column('text', { nullable: true }) trustedFlaggerArea!: string | null;
}
