import { CaseStatus } from './case.entity';
import {
  assertTransition,
  canTransition,
  CaseTransitionError,
  COUNTER_NOTICE_REASON,
  initialStatus,
  REPLY_TO_REJECTION_REASON,
  requiresReason,
  statusAfterCounterNotice,
  statusAfterRetraction,
  RETRACTION_REASON,
  statusAfterReply,
} from './case-workflow';

const S = CaseStatus;
const ALL = Object.values(CaseStatus);

/** The expected table, written out independently of CASE_TRANSITIONS so that an edit to either shows. */
const EXPECTED: Record<CaseStatus, CaseStatus[]> = {
  [S.Received]: [S.InReview, S.NeedsInfo, S.Actioned, S.Rejected, S.Withdrawn],
  [S.NeedsInfo]: [S.InReview, S.Rejected, S.Withdrawn, S.Received],
  [S.InReview]: [S.Actioned, S.NeedsInfo, S.Rejected, S.Closed, S.Withdrawn],
  [S.Actioned]: [S.Closed, S.InReview],
  [S.Rejected]: [S.InReview],
  [S.Closed]: [S.InReview],
  [S.Withdrawn]: [],
};

const pairs = ALL.flatMap((from) => ALL.map((to) => ({ from, to, allowed: EXPECTED[from].includes(to) })));

describe('case workflow', () => {
  it('covers all 49 pairs', () => expect(pairs).toHaveLength(49));

  it.each(pairs)('$from → $to allowed: $allowed', ({ from, to, allowed }) => {
    expect(canTransition(from, to)).toBe(allowed);
    const attempt = (): void => assertTransition(from, to, 'a reason');
    if (allowed) {
      expect(attempt).not.toThrow();
    } else {
      expect(attempt).toThrow(CaseTransitionError);
      expect(attempt).toThrow(new RegExp(`from ${from} to ${to}`));
    }
  });

  it('names the allowed targets when it refuses', () => {
    expect(() => assertTransition(S.Actioned, S.Rejected, 'x')).toThrow(
      'A case cannot go from actioned to rejected; from actioned it may go to closed, in_review.',
    );
    expect(() => assertTransition(S.Withdrawn, S.InReview, 'x')).toThrow(/nothing \(final state\)/);
  });

  it.each([
    [S.Received, S.Rejected],
    [S.InReview, S.Withdrawn],
    [S.Closed, S.InReview],
    [S.Rejected, S.InReview],
  ])('requires a reason for %s → %s', (from, to) => {
    expect(requiresReason(from, to)).toBe(true);
    expect(() => assertTransition(from, to)).toThrow(/needs a reason/);
    expect(() => assertTransition(from, to, '  ')).toThrow(/needs a reason/);
    expect(() => assertTransition(from, to, 'duplicate of DMCA-2026-000001')).not.toThrow();
  });

  it.each([
    [S.Received, S.InReview],
    [S.InReview, S.Actioned],
    [S.Actioned, S.InReview],
    [S.Actioned, S.Closed],
  ])('needs no reason for %s → %s', (from, to) => {
    expect(requiresReason(from, to)).toBe(false);
    expect(() => assertTransition(from, to)).not.toThrow();
  });
});

describe('what system writers propose', () => {
  const complete = { kind: 'takedown' as const, complete: true };
  const incomplete = { kind: 'takedown' as const, complete: false };

  it.each([
    ['takedown', true, false, S.Received],
    ['takedown', false, false, S.NeedsInfo],
    ['takedown', true, true, S.InReview],
    ['takedown', false, true, S.InReview],
    ['counter_notice', true, false, S.InReview],
    ['counter_notice', false, false, S.InReview],
    ['retraction', true, false, S.InReview],
    ['retraction', false, true, S.InReview],
    ['other', false, false, S.InReview],
  ] as const)('a new %s notice (complete: %s, held: %s) starts %s', (kind, isComplete, held, status) => {
    expect(initialStatus(kind, isComplete, held)).toBe(status);
  });

  it.each([
    [S.Received, incomplete, false, { to: S.NeedsInfo, reason: null, restartClock: false }],
    [S.Received, complete, false, null],
    [S.NeedsInfo, complete, false, { to: S.Received, reason: null, restartClock: true }],
    [S.NeedsInfo, complete, true, { to: S.InReview, reason: null, restartClock: true }],
    [S.NeedsInfo, incomplete, false, null],
    [S.InReview, complete, false, null],
    [S.InReview, incomplete, false, { to: S.NeedsInfo, reason: null, restartClock: false }],
    [S.Rejected, complete, false, { to: S.InReview, reason: REPLY_TO_REJECTION_REASON, restartClock: true }],
    [S.Rejected, incomplete, false, { to: S.InReview, reason: REPLY_TO_REJECTION_REASON, restartClock: true }],
    [S.Rejected, complete, true, null],
    [S.Actioned, complete, false, null],
    [S.Closed, complete, false, null],
    [S.Withdrawn, complete, false, null],
  ])('a reply on a %s case (%o, held: %s) proposes %o', (from, record, held, proposal) => {
    expect(statusAfterReply(from, record, held)).toEqual(proposal);
    // What it proposes, the table allows.
    if (proposal) expect(() => assertTransition(from, proposal.to, proposal.reason)).not.toThrow();
  });

  it.each(ALL.filter((s) => s !== S.InReview))('a counter-notice on a %s case asks for review', (from) => {
    expect(statusAfterCounterNotice(from)).toEqual({
      to: S.InReview,
      reason: COUNTER_NOTICE_REASON,
      restartClock: true,
    });
    // The table refuses it only for a withdrawn case: the door then records the refusal for staff.
    expect(canTransition(from, S.InReview)).toBe(from !== S.Withdrawn);
  });

  it('a counter-notice on a case in review changes nothing', () => {
    expect(statusAfterCounterNotice(S.InReview)).toBeNull();
  });
});

describe('statusAfterRetraction (the complainant retracts the whole notice)', () => {
  it.each([
    [S.Received, S.Withdrawn],
    [S.NeedsInfo, S.Withdrawn],
    [S.InReview, S.Withdrawn],
    [S.Actioned, S.Closed],
    [S.Rejected, null],
    [S.Closed, null],
    [S.Withdrawn, null],
  ] as const)('a %s case goes to %s', (from, to) => {
    const proposal = statusAfterRetraction(from);
    expect(proposal?.to ?? null).toBe(to);
    if (proposal) {
      expect(proposal.reason).toBe(RETRACTION_REASON);
      expect(canTransition(from, proposal.to)).toBe(true);
    }
  });
});
