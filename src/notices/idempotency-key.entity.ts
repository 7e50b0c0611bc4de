import { Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';

/** The first answer to a request that carried an Idempotency-Key, returned again for a retry. */
@Entity('idempotency_keys')
export class IdempotencyKey {
  @PrimaryColumn('text') key!: string;
  /** SHA-256 of the request body: the same key with another body is refused. */
  @Column('text') requestHash!: string;
  /** Null only while the first request is still in its transaction. */
  @Column('uuid', { nullable: true }) caseId!: string | null;
  @Column('int', { nullable: true }) responseStatus!: number | null;
  @Column('jsonb', { nullable: true }) responseBody!: unknown;
  @CreateDateColumn({ type: 'timestamptz' }) createdAt!: Date;
}
