import { Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';

/**
 * Keys the whole deployment shares, each wrapped by the key-encryption key: `lookup` keys the e-mail hashes. The
 * first process to boot creates them; every boot unwraps them, which is how a wrong PRIVACY_KEK stops it.
 */
@Entity('privacy_keys')
export class PrivacyKey {
  @PrimaryColumn('text') name!: string;
  @Column('bytea') wrappedKey!: Buffer;
  @Column('text') kekId!: string;
  @CreateDateColumn({ type: 'timestamptz' }) createdAt!: Date;
}
