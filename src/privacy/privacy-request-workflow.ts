import { DomainError, type RefusalKind } from '../core/errors';
import type { PrivacyMailKind } from '../core/queue/jobs';
import {
  type PrivacyRequestChannel,
  type PrivacyRequestKind,
  PrivacyRequestStatus as S,
} from './privacy-request.entity';

/**
 * Where a privacy request may go from each status. A request from the form waits (received) for its address to be
 * proved; an erasure then waits (confirmed) for staff; a minor's is withheld (suppressed) from the start until staff
 * confirm or reject it. An access request is done once its export is delivered. Done, partially retained and
 * rejected are final.
 */
export const PRIVACY_REQUEST_TRANSITIONS: Record<S, readonly S[]> = {
  [S.Received]: [S.Confirmed, S.Done, S.PartiallyRetained, S.Rejected],
  [S.Confirmed]: [S.Done, S.PartiallyRetained, S.Rejected],
  [S.Suppressed]: [S.Done, S.PartiallyRetained, S.Rejected],
  [S.Done]: [],
  [S.PartiallyRetained]: [],
  [S.Rejected]: [],
};

/** The statuses that wait on us (or on the requester's confirmation): the staff queue's open requests. */
export const OPEN_STATUSES: readonly S[] = [S.Received, S.Confirmed, S.Suppressed];

/**
 * Every step of a request as the event log records it, each with its detail: ids, statuses, kinds and counts, never
 * an address or anyone's words (those stay sealed in the request's row).
 */
export interface PrivacyRequestEventDetails {
  'request.received': { kind: PrivacyRequestKind; minor: boolean; channel: PrivacyRequestChannel; status: S };
  /** The same address asked again while its confirmation link was live: no second mail. */
  'request.repeated': { kind: PrivacyRequestKind };
  /** A minor's data hidden from every view, letter, export and job, at once. */
  'data.withheld': Record<string, never>;
  'data.released': Record<string, never>;
  'address.confirmed': { status: S };
  'erasure.carried_out': { status: S; retained: number; cases: string[] };
  'request.rejected': { from: S };
  /** A link to the export, valid until expiresAt. */
  'export.issued': { status: S; expiresAt: string };
  /** The export handed over directly (the command line prints it). */
  'export.delivered': { status: S; via: 'cli' };
  'export.opened': { format: 'html' | 'json' };
  'mail.queued': { mail: PrivacyMailKind };
  /** queued: the mail.queued event this mail was sent for. */
  'mail.sent': { mail: PrivacyMailKind; queued: string };
  'mail.failed': { mail: PrivacyMailKind; queued: string; permanent: boolean };
  /** Nothing to send: the address reads erased or withheld, or the request has moved on since. */
  'mail.skipped': { mail: PrivacyMailKind; queued: string; why: 'no_address' | 'stale' };
  /** The outcome's own copy of the address, kept only to tell the requester, is erased once told. */
  'reply_address.erased': Record<string, never>;
}

export type PrivacyRequestAction = keyof PrivacyRequestEventDetails;

export class PrivacyRequestRefusedError extends DomainError {
  constructor(
    message: string,
    readonly kind: RefusalKind = 'conflict',
  ) {
    super(message);
  }
}

export class PrivacyRequestTransitionError extends PrivacyRequestRefusedError {
  constructor(
    readonly from: S,
    readonly to: S,
  ) {
    const allowed = PRIVACY_REQUEST_TRANSITIONS[from];
    super(
      `A privacy request that is ${from} cannot become ${to}; ${allowed.length ? `it may become ${allowed.join(', ')}` : 'it is settled'}.`,
    );
  }

  override get details(): Record<string, unknown> {
    return { allowed: PRIVACY_REQUEST_TRANSITIONS[this.from] };
  }
}

export function assertPrivacyRequestMove(from: S, to: S): void {
  if (!PRIVACY_REQUEST_TRANSITIONS[from].includes(to)) throw new PrivacyRequestTransitionError(from, to);
}

export const isOpen = (status: S): boolean => OPEN_STATUSES.includes(status);
