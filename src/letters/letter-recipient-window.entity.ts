import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/**
 * The letter cap's count per recipient: how many letters were recorded for the address in its current window. One
 * row per address, taken with an atomic upsert in the transaction that records the letter, so that every API and
 * worker process counts the same letters. A window starts with the first letter after the last one ended.
 */
@Entity('letter_recipient_windows')
/** Windows long over, which recording a letter prunes a few at a time. */
@Index('letter_recipient_windows_end', ['windowEnd'])
export class LetterRecipientWindow {
  /**
   * The address as counted (recipientKey: lower-cased, without a +tag, so that tags do not make new mailboxes),
   * keyed-hashed with APP_SECRET: the table counts mail to third parties and needs no address to do so.
   */
  @PrimaryColumn('text') recipientHash!: string;
  @Column('timestamptz') windowEnd!: Date;
  /** Letters recorded in the window, those held beyond the cap included. */
  @Column('int') letters!: number;
}
