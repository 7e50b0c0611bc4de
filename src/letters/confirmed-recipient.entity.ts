import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * An address whose owner followed the confirmation link of one of our letters: it has shown it is the sender, and
 * letters to it are not held by the per-recipient cap. Named by its keyed hash only (recipient-cap.ts).
 */
@Entity('confirmed_recipients')
export class ConfirmedRecipient {
  @PrimaryColumn('text') recipientHash!: string;
  @Column('timestamptz', { default: () => 'now()' }) confirmedAt!: Date;
}
