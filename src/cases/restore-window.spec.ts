import { restoreWindow } from './restore-window';

const utc = { timeZone: 'UTC', holidays: [] as string[] };
const ny = { timeZone: 'America/New_York', holidays: [] as string[] };
const iso = (d: Date) => d.toISOString();

describe('restoreWindow (512(g)(2)(C): 10 to 14 business days after a complete counter-notice)', () => {
  it.each<[string, string, number, { holidays: string[]; timeZone: string }, string, string, string]>([
    // what, received, days, calendar, notBefore, notAfter, dueAt
    [
      'a Monday: two weeks of weekdays',
      '2026-03-02T15:00:00Z',
      10,
      utc,
      '2026-03-16T15:00:00.000Z',
      '2026-03-20T23:59:59.999Z',
      '2026-03-16T15:00:00.000Z',
    ],
    [
      'a Friday: the weekends do not count',
      '2026-03-06T09:30:00Z',
      10,
      utc,
      '2026-03-20T09:30:00.000Z',
      '2026-03-26T23:59:59.999Z',
      '2026-03-20T09:30:00.000Z',
    ],
    [
      'a Saturday: counting starts Monday at midnight',
      '2026-03-07T12:00:00Z',
      10,
      utc,
      '2026-03-23T00:00:00.000Z',
      '2026-03-27T23:59:59.999Z',
      '2026-03-23T00:00:00.000Z',
    ],
    [
      'a Sunday before a Monday holiday: Tuesday',
      '2026-05-24T12:00:00Z',
      10,
      { ...utc, holidays: ['2026-05-25'] },
      '2026-06-09T00:00:00.000Z',
      '2026-06-15T23:59:59.999Z',
      '2026-06-09T00:00:00.000Z',
    ],
    [
      'a holiday inside the window pushes it a day',
      '2026-03-02T15:00:00Z',
      10,
      { ...utc, holidays: ['2026-03-10'] },
      '2026-03-17T15:00:00.000Z',
      '2026-03-23T23:59:59.999Z',
      '2026-03-17T15:00:00.000Z',
    ],
    [
      'the restore day chosen inside the window',
      '2026-03-02T15:00:00Z',
      12,
      utc,
      '2026-03-16T15:00:00.000Z',
      '2026-03-20T23:59:59.999Z',
      '2026-03-18T15:00:00.000Z',
    ],
    [
      'the last day of the window',
      '2026-03-02T15:00:00Z',
      14,
      utc,
      '2026-03-16T15:00:00.000Z',
      '2026-03-20T23:59:59.999Z',
      '2026-03-20T15:00:00.000Z',
    ],
    // New York springs forward on 2026-03-08: the wall-clock time is kept, the UTC hour moves.
    [
      'across a DST change, at the same local time',
      '2026-03-02T15:00:00Z',
      10,
      ny,
      '2026-03-16T14:00:00.000Z',
      '2026-03-21T03:59:59.999Z',
      '2026-03-16T14:00:00.000Z',
    ],
    [
      'late on a local Friday that is Saturday in UTC',
      '2026-03-07T02:00:00Z',
      10,
      ny,
      '2026-03-21T01:00:00.000Z',
      '2026-03-27T03:59:59.999Z',
      '2026-03-21T01:00:00.000Z',
    ],
  ])('received %s', (_what, received, days, calendar, notBefore, notAfter, dueAt) => {
    const window = restoreWindow(new Date(received), days, calendar);
    expect([iso(window.notBefore), iso(window.notAfter), iso(window.dueAt)]).toEqual([notBefore, notAfter, dueAt]);
  });

  it('is never restored on the ninth business day, and always by the end of the fourteenth', () => {
    for (let day = 0; day < 28; day++) {
      const received = new Date(Date.UTC(2026, 1, 1 + day, 13));
      for (const days of [10, 11, 12, 13, 14]) {
        const w = restoreWindow(received, days, utc);
        expect(w.dueAt.getTime()).toBeGreaterThanOrEqual(w.notBefore.getTime());
        expect(w.dueAt.getTime()).toBeLessThanOrEqual(w.notAfter.getTime());
      }
    }
  });

  it.each([9, 15])('refuses %s business days: outside the window the law sets', (days) => {
    expect(() => restoreWindow(new Date(), days, utc)).toThrow(RangeError);
  });
});
