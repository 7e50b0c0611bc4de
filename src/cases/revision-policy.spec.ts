import { CaseStatus } from './case.entity';
import { routesAgain } from './revision-policy';

const base = { status: CaseStatus.NeedsInfo, held: false, actionable: true, wasComplete: false, newPendingLinks: 0 };

describe('routesAgain', () => {
  it.each<[string, Partial<typeof base>, boolean]>([
    ['a reply that completes a case waiting for information', {}, true],
    ['a reply that completes a case in review', { status: CaseStatus.InReview }, true],
    ['new links on an actioned case', { status: CaseStatus.Actioned, wasComplete: true, newPendingLinks: 2 }, true],
    ['an actioned case the reply adds nothing to', { status: CaseStatus.Actioned, wasComplete: true }, false],
    ['a held reply (a stranger, a DMARC failure)', { held: true }, false],
    ['a record still incomplete', { actionable: false }, false],
    ['a rejected case: staff decide first', { status: CaseStatus.Rejected }, false],
    ['a closed case', { status: CaseStatus.Closed, newPendingLinks: 1 }, false],
    ['a withdrawn case', { status: CaseStatus.Withdrawn }, false],
  ])('%s', (_what, change, expected) => {
    expect(routesAgain({ ...base, ...change })).toBe(expected);
  });
});
