import type { ElementName, NoticeKind } from '../checklist';
import type { CaseStatus } from './case.entity';
import type { LegalHoldKind } from './legal-hold.entity';
import type { LinkStatus } from './reported-link.entity';

/**
 * The id of a case_texts row: words a person wrote (a note, a reason, a message), kept out of the audit log so that
 * they can be erased. Only recordText (case-texts.ts) makes one.
 */
export type TextId = string & { readonly __caseText: true };

/**
 * Text the system wrote (an SMTP or site error, a workflow refusal), with e-mail addresses and phone numbers taken
 * out as it is written: only systemText (audit.ts) makes one.
 */
export type SystemText = string & { readonly __systemText: true };

/**
 * Every action the audit log records, each with the detail it carries. `audit()` takes only these, so an action
 * without its detail, or a detail of the wrong shape, does not compile; the staff UI's label for each is a Record
 * over this list, so an action without a label does not compile either. The log is append-only, so it holds no
 * personal values: ids, counts, statuses, element names, URLs, dates and decisions. Words a person wrote are in
 * case_texts, named here by a field ending in "Text" (`reasonText`, `noteText`, `messageText`) that holds the row's
 * TextId (null where no words were given); the system's own messages are SystemText. A staff member is named by
 * account id, never by name. A field marked optional is absent from some of the events.
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
  'notice.retraction_received': { notice: string; urls: string[]; whole: boolean; awaiting: SystemText };
  /** The complainant retracted the notice (whole) or some of its URLs; what it undid, by count. */
  'notice.retracted': {
    urls: string[];
    whole: boolean;
    /** The complainant's words, or staff's when they record it for them. */
    reasonText: TextId | null;
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
  'counter_notice.withdrawn': { counterNotice: string; reasonText: TextId };
  'consent.given': { privacyNotice: string };
  // The case
  'case.transitioned': { from: CaseStatus; to: CaseStatus; reasonText: TextId | null };
  /** A system writer asked for a move the workflow refuses; the case kept its status (see CaseTransitionsService). */
  'case.transition_refused': {
    from: CaseStatus;
    to: CaseStatus;
    reasonText: TextId | null;
    refusal: SystemText;
  };
  'case.routed': { status: CaseStatus; searchMatches: number };
  'case.held_for_review': { flags: string[] };
  /**
   * Kept and not routed: staff suspended its notifier (DSA Art. 23) until `until`. `standing` is the
   * notifier_standings id (not the notifier key, which holds an address hash: the log keeps ids).
   */
  'case.held_notifier_suspended': { standing: string; until: string };
  /** Staff account ids; the page shows their names. */
  'case.assigned': { from: string | null; to: string | null };
  /** `template`: the title of the reason template chosen, if one was. */
  'case.rejected': { reasonText: TextId; template: string | null; links: string[] };
  'note.added': { noteText: TextId };
  'element.overridden': { element: ElementName; checker: boolean; present: boolean; reasonText: TextId };
  'info.requested': { elements: ElementName[]; messageText: TextId | null };
  // Links and takedowns
  'link.sorting_overridden': {
    link: string;
    from: { classification: string; provider: string | null; role: string };
    to: { classification?: string; provider?: string | null; role?: string };
    reasonText: TextId;
  };
  'links.rejected': { reasonText: TextId; template: string | null; links: string[] };
  'links.restored': { links: string[]; reasonText: TextId };
  /** Link moves the link workflow refused a system actor during the named action: the links kept their status. */
  'links.transition_refused': {
    during: keyof AuditDetails;
    links: { url: string; status: LinkStatus; to: LinkStatus }[];
  };
  'takedowns.approved': { links: string[]; reasonText: TextId | null } | { takedowns: number };
  'takedowns.scheduled': {
    approval?: string;
    takedowns: number;
    internalNotFound: number;
    outboundLinks: number;
    awaitingApproval?: boolean;
    /** The auto-action policy's reading: the sender's standing and why it acted at once or held for a person. */
    policy?: { standing: string; reason: string };
  };
  'takedowns.done': { done: number; notFound: number; unverified: number; outboundLinksRemoved: number };
  'takedowns.failed': { error: SystemText; giveUp: number; retry: number };
  'takedowns.restored': {
    restoration: string;
    restored: number;
    /** Links the site was asked to put back and was seen serving again (stillLive) before this was written. */
    verified?: number;
    /** Site refs left down because another takedown still holds them, with its case's reference; absent when none. */
    heldDown?: { siteRef: string; byCase: string }[];
  };
  // Repeat infringers (512(i)): strike ids and counts; the uploader's account id stays in the strikes rows
  'strikes.recorded': { strikes: string[] };
  /** `reason`: the StrikeVoidReason (strikes/strike.entity.ts). */
  'strikes.voided': { strikes: string[]; reason: string };
  'strikes.termination_recommended': { activeStrikes: number; threshold: number };
  // Complaints against decisions (DSA Art. 20): ids and outcomes; the words are sealed in the complaint's row
  'complaint.received': { complaint: string; by: string; subject: string };
  'complaint.in_review': { complaint: string };
  /** `outcome`: upheld (the decision stands) or reversed (it was undone). */
  'complaint.decided': { complaint: string; outcome: string; reasonText: TextId | null };
  'referrals.recorded': { providers: { provider: string; links: number }[] };
  // Letters (letter.sent and letter.failed are written by the sender's own statement, with the same shape)
  'letter.recorded': { letter: string; kind: string; unsendable?: 'invalid recipient' | 'no recipient' };
  'letter.deficiency_recorded': { missing: ElementName[] };
  'letter.held': { letter: string; kind: string; until: string; cap: number; windowMinutes: number };
  'letter.sent': { letter: string; kind: string; error: null; digest?: { messageId: string; letters: number } };
  'letter.failed': { letter: string; kind: string; error: SystemText | null };
  // Personal data (privacy/): what was done to whose data, by count; never the data
  /** A person's data in this case was erased at their request (or by retention); `retained`: a hold kept it. */
  'privacy.erased': { request: string | null; values: number; messages: number; retained: boolean };
  /** A parent's request about a minor in this case: their data is hidden everywhere until it is settled. */
  'privacy.withheld': { request: string | null };
  'privacy.released': { request: string | null };
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
