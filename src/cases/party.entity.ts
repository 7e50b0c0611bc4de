import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { Case } from './case.entity';

export enum PartyRole {
  Complainant = 'complainant',
  Owner = 'owner',
  Uploader = 'uploader',
}

/** A person or company in a case. Personal data: shown redacted to anyone but staff. */
@Entity('parties')
// Written by hand in migrations/*-QueueSearch.ts: the queue finds a case by an address in any letter case.
export class Party {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Index() @Column('uuid') caseId!: string;
  @ManyToOne(() => Case, { onDelete: 'CASCADE' }) @JoinColumn({ name: 'case_id' }) case?: Case;
  /** The data subject whose key seals this row's personal data (core/privacy). */
  @Index() @Column('uuid', { nullable: true }) subjectId!: string | null;
  @Column({ type: 'enum', enum: PartyRole, enumName: 'party_role' }) role!: PartyRole;
  @Column('text', { nullable: true }) name!: string | null;
  @Column('text', { nullable: true }) company!: string | null;
  @Column('text', { nullable: true }) email!: string | null;
  /** PersonalData.hashEmail of the address: how staff find a party by e-mail. */
  @Index() @Column('text', { nullable: true }) emailHash!: string | null;
  @Column('text', { nullable: true }) phone!: string | null;
  @Column('text', { nullable: true }) address!: string | null;
}
