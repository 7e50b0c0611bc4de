import type { NoticeKind } from '../checklist';
import { CaseStatus } from './case.entity';
import { DomainError } from '../core/errors';

/**
 * The case state machine: for each status, the statuses a case may move to. Enforced on the server by
 * CaseTransitionsService whatever the caller; the staff UI only offers what this table allows.
 */
export const CASE_TRANSITIONS: Readonly<Record<CaseStatus, readonly CaseStatus[]>> = {
  [CaseStatus.Received]: [
    CaseStatus.InReview,
    CaseStatus.NeedsInfo,
    CaseStatus.Actioned,
    CaseStatus.Rejected,
    CaseStatus.Withdrawn,
  ],
  [CaseStatus.NeedsInfo]: [CaseStatus.InReview, CaseStatus.Rejected, CaseStatus.Withdrawn, CaseStatus.Received],
  [CaseStatus.InReview]: [
    CaseStatus.Actioned,
    CaseStatus.NeedsInfo,
    CaseStatus.Rejected,
    CaseStatus.Closed,
    CaseStatus.Withdrawn,
  ],
  [CaseStatus.Actioned]: [CaseStatus.Closed, CaseStatus.InReview],
  // Reopening a rejected or closed case sends it back to review.
  [CaseStatus.Rejected]: [CaseStatus.InReview],
  [CaseStatus.Closed]: [CaseStatus.InReview],
  // The sender withdrew the notice: nothing left to decide.
  [CaseStatus.Withdrawn]: [],
};

/** Thrown when a case is asked to move where the workflow does not allow, or without a required reason. */
export class CaseTransitionError extends DomainError {
  readonly kind = 'conflict';

  constructor(
    readonly from: CaseStatus,
    readonly to: CaseStatus,
    readonly allowed: readonly CaseStatus[],
    message?: string,
  ) {
    super(
      message ??
        `A case cannot go from ${from} to ${to}; from ${from} it may go to ${allowed.length ? allowed.join(', ') : 'nothing (final state)'}.`,
    );
  }

  override get details(): Record<string, unknown> {
    return { allowed: this.allowed };
  }
}

export function allowedTransitions(from: CaseStatus): readonly CaseStatus[] {
  return CASE_TRANSITIONS[from];
}

export function canTransition(from: CaseStatus, to: CaseStatus): boolean {
  return CASE_TRANSITIONS[from].includes(to);
}

/** A reopening brings a rejected or closed case back to work. */
export function isReopen(from: CaseStatus, to: CaseStatus): boolean {
  return (from === CaseStatus.Rejected || from === CaseStatus.Closed) && to === CaseStatus.InReview;
}

/** Rejecting, withdrawing and reopening must say why: the audit log keeps the reason. */
export function requiresReason(from: CaseStatus, to: CaseStatus): boolean {
  return to === CaseStatus.Rejected || to === CaseStatus.Withdrawn || isReopen(from, to);
}

/** Throws CaseTransitionError unless the move is allowed and carries a reason where one is required. */
export function assertTransition(from: CaseStatus, to: CaseStatus, reason?: string | null): void {
  const allowed = CASE_TRANSITIONS[from];
  if (!allowed.includes(to)) throw new CaseTransitionError(from, to, allowed);
  if (requiresReason(from, to) && !reason?.trim())
    throw new CaseTransitionError(from, to, allowed, `A case going from ${from} to ${to} needs a reason.`);
}

/** Why a counter-notice moves a case, in its audit event (a reopening needs a reason). */
export const COUNTER_NOTICE_REASON = 'counter-notice received';
export const RETRACTION_REASON = 'the complainant retracted the notice';
/** Why the complainant's reply to a rejection reopens the case. */
export const REPLY_TO_REJECTION_REASON = 'the sender replied to the rejection';

/** A move a system writer (intake, the router) asks of the status door, with its reason and clock. */
export interface StatusProposal {
  to: CaseStatus;
  reason: string | null;
  /** The case waits on us again: its service-level clock starts over (a reopening always restarts it). */
  restartClock: boolean;
}

/**
 * Where a new case starts: in review when its notice is held for a person (a flag) or is not a takedown notice;
 * otherwise received when the takedown notice is complete and needs_info when it lacks an element.
 */
export function initialStatus(kind: NoticeKind, complete: boolean, held: boolean): CaseStatus {
  if (held || kind !== 'takedown') return CaseStatus.InReview;
  return complete ? CaseStatus.Received : CaseStatus.NeedsInfo;
}

/**
 * What a reply on a case's thread (a revision of its notice) asks of its status, or null for nothing:
 * - while the case is still being decided (received, needs_info, in_review) it goes where the whole record now puts
 *   it, as a new case would (a case already in review stays there rather than going back to received: the router
 *   moves it on); an answer to our request for information restarts the clock;
 * - a rejected case goes back to staff when the complainant replies (the rejection letter invites that reply), as a
 *   reopening; a held reply (a stranger's, a DMARC failure) does not reopen it;
 * - an actioned, closed or withdrawn case keeps its status (a reply may still add links to an actioned one).
 */
export function statusAfterReply(
  from: CaseStatus,
  record: { kind: NoticeKind; complete: boolean },
  held: boolean,
): StatusProposal | null {
  switch (from) {
    case CaseStatus.Received:
    case CaseStatus.NeedsInfo:
    case CaseStatus.InReview: {
      let to = initialStatus(record.kind, record.complete, held);
      if (from === CaseStatus.InReview && to === CaseStatus.Received) to = CaseStatus.InReview;
      return to === from ? null : { to, reason: null, restartClock: from === CaseStatus.NeedsInfo };
    }
    case CaseStatus.Rejected:
      return held ? null : { to: CaseStatus.InReview, reason: REPLY_TO_REJECTION_REASON, restartClock: true };
    case CaseStatus.Actioned:
    case CaseStatus.Closed:
    case CaseStatus.Withdrawn:
      return null;
  }
}

/**
 * What a complainant's retraction of the whole notice asks of its case: a case still being decided is withdrawn; an
 * actioned one is closed (what was removed is restored); one already rejected, closed or withdrawn stays as it is.
 */
export function statusAfterRetraction(from: CaseStatus): StatusProposal | null {
  switch (from) {
    case CaseStatus.Received:
    case CaseStatus.NeedsInfo:
    case CaseStatus.InReview:
      return { to: CaseStatus.Withdrawn, reason: RETRACTION_REASON, restartClock: false };
    case CaseStatus.Actioned:
      return { to: CaseStatus.Closed, reason: RETRACTION_REASON, restartClock: false };
    case CaseStatus.Rejected:
    case CaseStatus.Closed:
    case CaseStatus.Withdrawn:
      return null;
  }
}

/**
 * What a counter-notice asks of its case: review by staff, on a clock of its own, whatever the status. The door
 * refuses it for a withdrawn case (nothing is left to decide there) and records the refusal for staff; on an
 * actioned, closed or rejected case it is the normal path back to review.
 */
export function statusAfterCounterNotice(from: CaseStatus): StatusProposal | null {
  if (from === CaseStatus.InReview) return null;
  return { to: CaseStatus.InReview, reason: COUNTER_NOTICE_REASON, restartClock: true };
}
