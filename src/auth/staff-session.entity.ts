import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { StaffUser } from './staff-user.entity';

/** A signed-in browser. The id is the SHA-256 of the cookie's token: a copy of this table signs no one in. */
@Entity('staff_sessions')
export class StaffSession {
  @PrimaryColumn('text') id!: string;
  @Index() @Column('uuid') userId!: string;
  @ManyToOne(() => StaffUser, { onDelete: 'CASCADE' }) @JoinColumn({ name: 'user_id' }) user?: StaffUser;
  @CreateDateColumn({ type: 'timestamptz' }) createdAt!: Date;
  @Column('timestamptz') expiresAt!: Date;
  @Column('timestamptz') lastSeenAt!: Date;
}
