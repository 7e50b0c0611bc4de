import type { ElementName, NoticeKind } from '../checklist';
import type { CaseStatus } from './case.entity';
import type { LegalHoldKind } from './legal-hold.entity';
import type { LinkStatus } from './reported-link.entity';

/**
 * Every action the audit log records, each with the detail it carries. `audit()` takes only these, so an action
 * without its detail, or a detail of the wrong shape, does not compile; the staff UI's label for each is a Record
 * over this list, so an action without a label does not compile either. The detail holds ids, counts, statuses,
 * element names and staff's own words; a field marked optional is absent from some of the events.
 */
export interface AuditDetails {
  // Intake
  'notice.received': { channel: string; kind: NoticeKind; missing: ElementName[]; links: number; flags?: string[] };
  'notice.revised': {
    channel: string;
    missing: ElementName[];
    newLinks: number;
    flags: string[];
    rerouted: boolean;
  };
  'notice.counter_notice': {
    channel: string;
    complete: boolean;
    missing: ElementName[];
    flags: string[];
    /** The case's status once the counter-notice was taken in (a withdrawn case stays withdrawn). */
    caseStatus?: CaseStatus;
  };
  'notice.names_other_case': { reference: string };
  /** A retraction by email kept for staff to confirm: why it was not carried out at once. */
  'notice.retraction_received': { notice: string; urls: string[]; whole: boolean; awaiting: string };
  /** The complainant retracted the notice (whole) or some of its URLs; what it undid, by count. */
  'notice.retracted': {
    urls: string[];
    whole: boolean;
    reason: string | null;
    restored: number;
    cancelled: number;
    providers: string[];
  };
  // Counter-notices (512(g)): ids, statuses, element names and dates; the counter-notifier's details stay in its row
  'counter_notice.received': {
    counterNotice: string;
    channel: string;
    status: string;
    missing: ElementName[];
    problems: number;
  };
  'counter_notice.forwarded': {
    counterNotice: string;
    restoreNotBefore: string;
    restoreNotAfter: string;
    restoreDueAt: string;
    by: 'on_receipt' | 'staff';
  };
  'counter_notice.restored': { counterNotice: string; links: number };
  /** The last day of the restore window passed and the material is not back: an alert for staff. */
  'counter_notice.restore_overdue': { counterNotice: string; restoreNotAfter: string };
  'counter_notice.suit_recorded': {
    counterNotice: string;
    hold: string;
    filedOn: string;
    by: 'staff' | 'complainant';
    /** The attached complaint's hash, when one was attached. */
    documentSha256?: string;
  };
  'counter_notice.withdrawn': { counterNotice: string; reason: string };
  'consent.given': { privacyNotice: string };
  // The case
  'case.transitioned': { from: CaseStatus; to: CaseStatus; reason: string | null };
  /** A system writer asked for a move the workflow refuses; the case kept its status (see CaseTransitionsService). */
  'case.transition_refused': { from: CaseStatus; to: CaseStatus; reason: string | null; refusal: string };
  'case.routed': { status: CaseStatus; searchMatches: number };
  'case.held_for_review': { flags: string[] };
  'case.assigned': { from: string | null; to: string | null; toName: string | null };
  'case.rejected': { reason: string; template: string | null; links: string[] };
  'note.added': { text: string };
  'element.overridden': { element: ElementName; checker: boolean; present: boolean; reason: string };
  'info.requested': { elements: ElementName[]; message: string | null };
  // Links and takedowns
  'link.sorting_overridden': {
    link: string;
    from: { classification: string; provider: string | null; role: string };
    to: { classification?: string; provider?: string | null; role?: string };
    reason: string;
  };
  'links.rejected': { reason: string; template: string | null; links: string[] };
  'links.restored': { links: string[]; reason: string };
  /** Link moves the link workflow refused a system actor during the named action: the links kept their status. */
  'links.transition_refused': {
    during: keyof AuditDetails;
    links: { url: string; status: LinkStatus; to: LinkStatus }[];
  };
  'takedowns.approved': { links: string[]; reason: string | null } | { takedowns: number };
  'takedowns.scheduled': {
    approval?: string;
    takedowns: number;
    internalNotFound: number;
    outboundLinks: number;
    awaitingApproval?: boolean;
  };
  'takedowns.done': { done: number; notFound: number; unverified: number; outboundLinksRemoved: number };
  'takedowns.failed': { error: string; giveUp: number; retry: number };
  'takedowns.restored': {
    restoration: string;
    restored: number;
    /** Links the site was asked to put back and was seen serving again (stillLive) before this was written. */
    verified?: number;
    /** Site refs left down because another takedown still holds them, with its case's reference; absent when none. */
    heldDown?: { siteRef: string; byCase: string }[];
  };
  'referrals.recorded': { providers: { provider: string; links: number }[] };
  // Letters (letter.sent and letter.failed are written by the sender's own statement, with the same shape)
  'letter.recorded': { letter: string; kind: string; unsendable?: string };
  'letter.deficiency_recorded': { missing: ElementName[] };
  'letter.held': { letter: string; kind: string; until: string; cap: number; windowMinutes: number };
  'letter.sent': { letter: string; kind: string; error: null; digest?: { messageId: string; letters: number } };
  'letter.failed': { letter: string; kind: string; error: string | null };
  // Retention and legal holds: counts and ids only (a hold's reasons are in its legal_holds row)
  /**
   * What the retention schedule removed from the closed case, by count: run, the retention_runs row; partyValues,
   * the personal data values erased, null when they were not due in this run.
   */
  'retention.applied': { run: string; rawMail: number; evidenceFiles: number; partyValues: number | null };
  /** Staff put a legal hold on the case: nothing it covers is removed or restored until it is released. */
  'legal_hold.set': { hold: string; kind: LegalHoldKind };
  'legal_hold.released': { hold: string; kind: LegalHoldKind };
}

export type AuditAction = keyof AuditDetails;
