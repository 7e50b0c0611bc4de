/** Reasons recorded on a notice for a person to look before anything is done about it. */
export enum NoticeFlag {
  /** The sender's domain publishes DMARC and this mail failed it: the From address may be forged. */
  DmarcFail = 'dmarc_fail',
  /** A reply threaded into a case, from an address that is not the case's complainant. */
  SenderNotComplainant = 'sender_not_complainant',
  /**
   * A reply to our letter to the uploader: their counter-notice, kept on the case apart from the takedown (never
   * merged into its checklist, never shown on the complainant's status page) for staff to handle.
   */
  CounterNotice = 'counter_notice',
  /**
   * A new notice whose subject named another case's reference, from someone who is not that case's complainant: it
   * was not threaded into that case. Informational; the reference is in the notice's audit entry.
   */
  NamesOtherCase = 'names_other_case',
  /**
   * The free text took longer than TEXT_BUDGET_MS to read: the notice was checked from its structured fields alone,
   * and a person reads the text.
   */
  TextBudgetExceeded = 'text_budget_exceeded',
  /** The text reader failed on this text (a bug): as for TextBudgetExceeded, a person reads it. */
  TextUnread = 'text_unread',
  /**
   * A reply on the case's thread that retracts the notice (or some of its URLs): carried out at once when it is the
   * complainant's and DMARC passes, otherwise kept for staff to confirm. Never part of the takedown's record.
   */
  Retraction = 'retraction',
}

/**
 * A notice carrying any of these is never acted on automatically. Holding is decided by the notice at hand, not by
 * the case's history: the routing it would trigger is held for review, while a later clean notice from the
 * complainant is acted on as usual (the flagged notice stays flagged for staff). The exception is STICKY_HOLD_FLAGS.
 */
export const HOLD_FLAGS: readonly string[] = [
  NoticeFlag.DmarcFail,
  NoticeFlag.SenderNotComplainant,
  NoticeFlag.CounterNotice,
  NoticeFlag.TextBudgetExceeded,
  NoticeFlag.TextUnread,
];

/**
 * Flags that hold the whole case, whichever notice comes later: a counter-notice is a dispute only staff can settle.
 * It can only come from a reply to our letter to the uploader (its Message-ID), so a stranger cannot set one.
 */
export const STICKY_HOLD_FLAGS: readonly string[] = [NoticeFlag.CounterNotice];

/** Notices from someone other than the complainant: kept on the case, never part of its takedown record. */
export const NOT_THE_COMPLAINANT: readonly string[] = [NoticeFlag.SenderNotComplainant, NoticeFlag.CounterNotice];

/** Notices kept on the case that are not part of its takedown record: read again with the case, they would change it. */
export const NOT_THE_TAKEDOWN_RECORD: readonly string[] = [...NOT_THE_COMPLAINANT, NoticeFlag.Retraction];

export function holds(flags: readonly string[]): boolean {
  return flags.some((f) => HOLD_FLAGS.includes(f));
}
