import { CaseStatus } from './case.entity';
import { assertTransition, canTransition, CaseTransitionError, requiresReason } from './case-workflow';

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
