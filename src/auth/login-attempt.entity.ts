import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/**
 * Failed sign-ins for one account, one client address, or one address at one account (LoginThrottle), shared by
 * every API process. The key is its kind and an HMAC of what it counts, so the table holds no email or IP address.
 */
@Entity('login_attempts')
export class LoginAttempt {
  @PrimaryColumn('text') key!: string;
  @Column('int', { default: 0 }) failures!: number;
  /** No attempt under this key is checked before then. */
  @Column('timestamptz', { default: () => 'now()' }) nextAllowedAt!: Date;
  /** The last attempt; rows quiet for a day are forgotten and pruned. */
  @Index() @Column('timestamptz', { default: () => 'now()' }) updatedAt!: Date;
}
