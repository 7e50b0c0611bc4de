import { CaseStatus } from './case.entity';
import { addBusinessDays, overdue, slaDeadlines } from './sla';

const at = (iso: string): Date => new Date(iso);
const none = { holidays: [] as string[], timeZone: 'UTC' };

describe('addBusinessDays', () => {
  it.each([
    ['Monday 10:00 + 1', '2026-11-30T10:00:00Z', 1, '2026-12-01T10:00:00.000Z'],
    ['Friday 15:00 + 1 skips the weekend', '2026-12-04T15:00:00Z', 1, '2026-12-07T15:00:00.000Z'],
    ['Thursday 09:00 + 2 skips the weekend', '2026-12-03T09:00:00Z', 2, '2026-12-07T09:00:00.000Z'],
    ['Saturday starts at Monday 00:00', '2026-12-05T10:00:00Z', 1, '2026-12-08T00:00:00.000Z'],
    ['Sunday + 0 is Monday 00:00', '2026-12-06T23:00:00Z', 0, '2026-12-07T00:00:00.000Z'],
    ['Wednesday + 0 is now', '2026-12-02T08:30:00Z', 0, '2026-12-02T08:30:00.000Z'],
  ])('%s', (_name, from, days, expected) => {
    expect(addBusinessDays(at(from), days, none).toISOString()).toBe(expected);
  });

  it('skips holidays, and a clock that starts on one', () => {
    const calendar = { holidays: ['2026-12-24', '2026-12-25'], timeZone: 'UTC' };
    expect(addBusinessDays(at('2026-12-23T12:00:00Z'), 1, calendar).toISOString()).toBe('2026-12-28T12:00:00.000Z');
    expect(addBusinessDays(at('2026-12-24T12:00:00Z'), 1, calendar).toISOString()).toBe('2026-12-29T00:00:00.000Z');
  });
});

describe("addBusinessDays in the legal team's time zone", () => {
  const newYork = { holidays: ['2026-12-25'], timeZone: 'America/New_York' };

  it.each([
    // Friday 15:00 EST (20:00 UTC) + 1 is Monday 15:00 EST.
    ['Friday afternoon', '2026-12-04T20:00:00Z', 1, '2026-12-07T20:00:00.000Z'],
    // Friday 23:30 EST is already Saturday in UTC: still Friday for the team, so Monday 23:30 EST.
    ['Friday night, Saturday in UTC', '2026-12-05T04:30:00Z', 1, '2026-12-08T04:30:00.000Z'],
    // Saturday in New York: the clock starts Monday 00:00 EST (05:00 UTC).
    ['Saturday', '2026-12-05T15:00:00Z', 0, '2026-12-07T05:00:00.000Z'],
    // Across the spring DST change: Friday 10:00 EST + 1 is Monday 10:00 EDT (14:00 UTC).
    ['across DST', '2027-03-12T15:00:00Z', 1, '2027-03-15T14:00:00.000Z'],
    // Christmas is a holiday of this calendar.
    ['before a holiday', '2026-12-24T15:00:00Z', 1, '2026-12-28T15:00:00.000Z'],
  ])('%s', (_name, from, days, expected) => {
    expect(addBusinessDays(at(from), days, newYork).toISOString()).toBe(expected);
  });
});

describe('slaDeadlines and overdue', () => {
  const config = {
    ackBusinessDays: 1,
    actionBusinessDays: 2,
    trustedActionBusinessDays: 1,
    holidays: [],
    timeZone: 'UTC',
  };
  const { ackDueAt, actionDueAt } = slaDeadlines(at('2026-12-04T15:00:00Z'), config);

  it("gives a trusted flagger's notice SLA_TRUSTED_ACTION_BUSINESS_DAYS", () => {
    const trusted = slaDeadlines(at('2026-12-04T15:00:00Z'), config, { trusted: true });
    expect(trusted.actionDueAt.getTime()).toBeLessThan(actionDueAt.getTime());
    expect(trusted.actionDueAt.toISOString()).toBe(ackDueAt.toISOString());
  });
  const open = { status: CaseStatus.Received, ackDueAt, actionDueAt, acknowledgedAt: null };

  it('sets both deadlines from the start of the clock', () => {
    expect(ackDueAt.toISOString()).toBe('2026-12-07T15:00:00.000Z');
    expect(actionDueAt.toISOString()).toBe('2026-12-08T15:00:00.000Z');
  });

  it('is on time before the acknowledge deadline', () => {
    expect(overdue(open, at('2026-12-07T14:59:00Z'))).toBeNull();
  });

  it('is late to acknowledge until a staff member acts', () => {
    expect(overdue(open, at('2026-12-07T16:00:00Z'))).toBe('acknowledge');
    expect(overdue({ ...open, acknowledgedAt: at('2026-12-07T16:00:00Z') }, at('2026-12-07T17:00:00Z'))).toBeNull();
  });

  it('is late to act once the action deadline passes, acknowledged or not', () => {
    const acknowledged = { ...open, status: CaseStatus.InReview, acknowledgedAt: at('2026-12-05T10:00:00Z') };
    expect(overdue(acknowledged, at('2026-12-08T15:01:00Z'))).toBe('action');
  });

  it.each([CaseStatus.NeedsInfo, CaseStatus.Actioned, CaseStatus.Rejected, CaseStatus.Closed, CaseStatus.Withdrawn])(
    'is never overdue while %s',
    (status) => {
      expect(overdue({ ...open, status }, at('2027-01-30T00:00:00Z'))).toBeNull();
    },
  );
});

describe('the UTC calendar read without Intl', () => {
  it('gives what the same zone read through Intl gives (Etc/GMT+0 takes the Intl path)', () => {
    const holidays = ['2026-12-25', '2027-01-01'];
    for (let hours = 0; hours < 24 * 40; hours += 7) {
      const from = new Date(Date.UTC(2026, 11, 1, 0, 30, 15, 250) + hours * 3_600_000);
      for (const days of [0, 1, 3, 10]) {
        expect(addBusinessDays(from, days, { holidays, timeZone: 'UTC' })).toEqual(
          addBusinessDays(from, days, { holidays, timeZone: 'Etc/GMT+0' }),
        );
      }
    }
  });
});
