import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/**
 * What happened to staff accounts, API tokens and agency keys: who created, changed, disabled or revoked what, and
 * each sign-in. Append-only like the case audit log (a trigger refuses UPDATE, DELETE and TRUNCATE).
 */
@Entity('account_events')
export class AccountEvent {
  @PrimaryGeneratedColumn('increment', { type: 'bigint' }) id!: string;
  /** A staff account id, 'cli', or 'system'. */
  @Column('text') actor!: string;
  @Column('text') action!: string;
  /** The account or agency acted on. */
  @Index() @Column('uuid', { nullable: true }) subjectId!: string | null;
  @Column('jsonb', { default: () => "'{}'" }) detail!: Record<string, unknown>;
  @Index() @CreateDateColumn({ type: 'timestamptz' }) at!: Date;
}
