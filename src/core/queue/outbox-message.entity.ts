import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import type { JobName, QueueName } from './jobs';

/** Work written in the same transaction as the data it follows; the relay moves it to BullMQ. */
@Entity('outbox')
@Index('outbox_undispatched', ['id'], { where: 'dispatched_at IS NULL' })
export class OutboxMessage {
  @PrimaryGeneratedColumn('increment', { type: 'bigint' }) id!: string;
  @Column('text') queue!: QueueName;
  @Column('text') name!: JobName;
  @Column('jsonb') data!: Record<string, unknown>;
  @Column('text') jobId!: string;
  @CreateDateColumn({ type: 'timestamptz' }) createdAt!: Date;
  @Column('timestamptz', { nullable: true }) dispatchedAt!: Date | null;
  @Column('int', { default: 0 }) attempts!: number;
  @Column('text', { nullable: true }) lastError!: string | null;
}
