import { Check, Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/** admin: users and settings; legal: triage and actions; viewer: read only. Each includes the rights after it. */
export enum StaffRole {
  Admin = 'admin',
  Legal = 'legal',
  Viewer = 'viewer',
}

@Entity('staff_users')
@Check('staff_users_email_lower', `"email" = lower("email")`)
export class StaffUser {
  @PrimaryGeneratedColumn('uuid') id!: string;
  /** Stored lower-cased, so the unique index compares addresses as people do. */
  @Index({ unique: true }) @Column('text') email!: string;
  @Column('text') name!: string;
  @Column({ type: 'enum', enum: StaffRole, enumName: 'staff_role' }) role!: StaffRole;
  /** argon2id, in its self-describing PHC string form. */
  @Column('text') passwordHash!: string;
  /** A disabled account keeps its history but can neither sign in nor use its sessions and tokens. */
  @Column('timestamptz', { nullable: true }) disabledAt!: Date | null;
  @CreateDateColumn({ type: 'timestamptz' }) createdAt!: Date;
}
