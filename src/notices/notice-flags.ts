/** Reasons recorded on a notice for a person to look before anything is done about it. */
export enum NoticeFlag {
  /** The sender's domain publishes DMARC and this mail failed it: the From address may be forged. */
  DmarcFail = 'dmarc_fail',
  /** A reply threaded into a case, from an address that is not the case's complainant. */
  SenderNotComplainant = 'sender_not_complainant',
}

/** A case with a notice carrying any of these is never acted on automatically: the router holds it for review. */
export const HOLD_FLAGS: readonly string[] = [NoticeFlag.DmarcFail, NoticeFlag.SenderNotComplainant];

export function holds(flags: readonly string[]): boolean {
  return flags.some((f) => HOLD_FLAGS.includes(f));
}
