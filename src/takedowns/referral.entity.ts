import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { Case } from '../cases/case.entity';

/** External network-disk links of one case at one provider, referred to that provider's copyright channel. */
@Entity('referrals')
@Index(['caseId', 'provider'], { unique: true })
export class Referral {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column('uuid') caseId!: string;
  @ManyToOne(() => Case, { onDelete: 'CASCADE' }) @JoinColumn({ name: 'case_id' }) case?: Case;
  @Column('text') provider!: string;
  @Column('int') linkCount!: number;
  /** The channel named in the letter, as the registry had it then. */
  @Column('jsonb') channel!: { email?: string; webForm?: string };
  @CreateDateColumn({ type: 'timestamptz' }) createdAt!: Date;
}
