import { LegalHoldKind } from '../cases/legal-hold.entity';
import { type ClosedCase, planCases, retentionCutoffs, type RetentionSettings, totalCounts } from './retention';

const SETTINGS: RetentionSettings = {
  rawMailDays: 90,
  partyDataYears: 3,
  apiAnswerDays: 30,
  dispatchedDays: 7,
  sessionDays: 30,
};
const NOW = new Date('2030-06-15T12:00:00Z');
const DAY = 86_400_000;

function closed(overrides: Partial<ClosedCase> & { closedAt: Date }): ClosedCase {
  return {
    id: 'case-1',
    reference: 'DMCA-2030-000001',
    rawMail: 2,
    evidenceFiles: 1,
    personalDataErased: false,
    holds: [],
    ...overrides,
  };
}

describe('retentionCutoffs', () => {
  it('counts days back from the clock, and years by the calendar', () => {
    const c = retentionCutoffs(NOW, SETTINGS);
    expect(c.rawMail).toEqual(new Date(NOW.getTime() - 90 * DAY));
    expect(c.partyData).toEqual(new Date('2027-06-15T12:00:00Z'));
    expect(c.apiAnswers).toEqual(new Date(NOW.getTime() - 30 * DAY));
    expect(c.dispatched).toEqual(new Date(NOW.getTime() - 7 * DAY));
    expect(c.sessions).toEqual(new Date(NOW.getTime() - 30 * DAY));
  });

  it('never keeps raw mail longer than the personal data in it', () => {
    const c = retentionCutoffs(NOW, { ...SETTINGS, rawMailDays: 5000, partyDataYears: 1 });
    expect(c.rawMail).toEqual(new Date('2029-06-15T12:00:00Z'));
    expect(c.rawMail).toEqual(c.partyData);
  });

  it('takes 29 February back to a year without one as 1 March', () => {
    const c = retentionCutoffs(new Date('2032-02-29T00:00:00Z'), { ...SETTINGS, partyDataYears: 1 });
    expect(c.partyData).toEqual(new Date('2031-03-01T00:00:00Z'));
  });
});

describe('planCases', () => {
  const cutoffs = retentionCutoffs(NOW, SETTINGS);
  const recently = new Date(NOW.getTime() - 10 * DAY);
  const monthsAgo = new Date(NOW.getTime() - 100 * DAY);
  const yearsAgo = new Date('2026-01-01T00:00:00Z');

  it.each([
    ['closed 10 days ago: nothing yet', recently, false, undefined],
    ['closed 100 days ago: its mail', monthsAgo, false, { rawMail: 2, evidenceFiles: 1, partyData: false }],
    ['closed years ago: its mail and its parties', yearsAgo, false, { rawMail: 2, evidenceFiles: 1, partyData: true }],
    [
      'closed years ago, parties already erased: its mail',
      yearsAgo,
      true,
      { rawMail: 2, evidenceFiles: 1, partyData: false },
    ],
  ])('%s', (_name, closedAt, personalDataErased, expected) => {
    const { due, held } = planCases([closed({ closedAt, personalDataErased })], cutoffs);
    expect(held).toEqual([]);
    expect(due[0]).toEqual(expected && { id: 'case-1', reference: 'DMCA-2030-000001', ...expected });
  });

  it('lists nothing for a case with nothing left', () => {
    const plan = planCases(
      [closed({ closedAt: yearsAgo, rawMail: 0, evidenceFiles: 0, personalDataErased: true })],
      cutoffs,
    );
    expect(plan).toEqual({ due: [], held: [] });
  });

  it('keeps everything of a case on legal hold, and lists it as held once per kind', () => {
    const plan = planCases(
      [
        closed({ closedAt: yearsAgo, holds: [LegalHoldKind.Suit, LegalHoldKind.Preservation, LegalHoldKind.Suit] }),
        closed({ id: 'case-2', reference: 'DMCA-2030-000002', closedAt: yearsAgo }),
      ],
      cutoffs,
    );
    expect(plan.due.map((d) => d.reference)).toEqual(['DMCA-2030-000002']);
    expect(plan.held).toEqual([
      { reference: 'DMCA-2030-000001', kind: 'preservation' },
      { reference: 'DMCA-2030-000001', kind: 'suit' },
    ]);
  });

  it('does not list a held case that has nothing due anyway', () => {
    expect(planCases([closed({ closedAt: recently, holds: [LegalHoldKind.Suit] })], cutoffs).held).toEqual([]);
  });
});

describe('totalCounts', () => {
  it('adds the cases to the mail without a case, and counts cases whose parties are erased', () => {
    const counts = totalCounts(
      [
        { rawMail: 2, evidenceFiles: 1, partyData: true },
        { rawMail: 1, evidenceFiles: 0, partyData: false },
      ],
      { rawMail: 4, evidenceFiles: 2 },
      { idempotencyKeys: 5, outbox: 6, sessions: 7, loginAttempts: 8 },
      null,
    );
    expect(counts).toEqual({
      rawMail: 7,
      evidenceFiles: 3,
      partyData: 1,
      idempotencyKeys: 5,
      outbox: 6,
      sessions: 7,
      loginAttempts: 8,
      finishedJobs: null,
    });
  });
});
