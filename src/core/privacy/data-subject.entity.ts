import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

export enum SubjectKind {
  /** A person as we know them: by e-mail address where they gave one. */
  Person = 'person',
  /** What a legal hold keeps of an erased person's data, until the hold is released. */
  Held = 'held',
}

/**
 * One data subject and the data key that seals their personal data (core/privacy/envelope.ts). Erasure deletes the
 * wrapped key and the address's keyed hash; the row stays, so that sealed values still name whose they were and
 * read "erased".
 */
@Entity('data_subjects')
export class DataSubject {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column({ type: 'enum', enum: SubjectKind, enumName: 'subject_kind', default: SubjectKind.Person })
  kind!: SubjectKind;
  /** HMAC-SHA256 of the normalised address under the keyring's lookup key: staff's search by e-mail. */
  @Index({ unique: true, where: 'email_hash IS NOT NULL' }) @Column('text', { nullable: true }) emailHash!:
    string | null;
  @Column('bytea', { nullable: true }) wrappedKey!: Buffer | null;
  /** Which key-encryption key wrapped it (kekId). */
  @Column('text', { nullable: true }) kekId!: string | null;
  @CreateDateColumn({ type: 'timestamptz' }) createdAt!: Date;
  /** A parent's request for a minor's data hides it everywhere from this moment until the request is settled. */
  @Column('timestamptz', { nullable: true }) suppressedAt!: Date | null;
  @Column('timestamptz', { nullable: true }) erasedAt!: Date | null;
}
