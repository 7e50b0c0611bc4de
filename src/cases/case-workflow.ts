import { CaseStatus } from './case.entity';

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
export class CaseTransitionError extends Error {
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
    this.name = 'CaseTransitionError';
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
