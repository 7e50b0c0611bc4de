import { DomainError } from '../core/errors';
import { CounterNoticeStatus as S } from './counter-notice.entity';

/**
 * Where a counter-notice may go from each status. A deficient one is completed by a reply (needs_info → in review or
 * forwarded); staff forward one they reviewed; the worker restores a forwarded one on its day unless a suit stopped
 * it; its sender may withdraw it until then. Restored, suit_filed and withdrawn are final here (a suit's outcome is
 * the court's, recorded by staff as a new decision).
 */
export const COUNTER_NOTICE_TRANSITIONS: Record<S, readonly S[]> = {
  [S.NeedsInfo]: [S.InReview, S.Forwarded, S.Withdrawn, S.Invalid],
  [S.InReview]: [S.Forwarded, S.SuitFiled, S.Withdrawn, S.Invalid],
  [S.Forwarded]: [S.Restored, S.SuitFiled, S.Withdrawn],
  [S.Invalid]: [S.InReview],
  [S.Restored]: [],
  [S.SuitFiled]: [],
  [S.Withdrawn]: [],
};

export class CounterNoticeTransitionError extends DomainError {
  readonly kind = 'conflict';

  constructor(
    readonly from: S,
    readonly to: S,
  ) {
    const allowed = COUNTER_NOTICE_TRANSITIONS[from];
    super(
      `A counter-notice that is ${from} cannot become ${to}; it may become ${allowed.length ? allowed.join(', ') : 'nothing more (final)'}.`,
    );
  }

  override get details(): Record<string, unknown> {
    return { allowed: COUNTER_NOTICE_TRANSITIONS[this.from] };
  }
}

export function assertCounterNoticeMove(from: S, to: S): void {
  if (!COUNTER_NOTICE_TRANSITIONS[from].includes(to)) throw new CounterNoticeTransitionError(from, to);
}
