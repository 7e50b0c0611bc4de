import { HOLD_FLAGS, holds, NOT_THE_COMPLAINANT, NoticeFlag, STICKY_HOLD_FLAGS } from './notice-flags';

const F = NoticeFlag;

describe('notice flags', () => {
  it.each<[string[], boolean]>([
    [[], false],
    [[F.DmarcFail], true],
    [[F.SenderNotComplainant], true],
    [[F.CounterNotice], true],
    [[F.TextBudgetExceeded], true],
    [[F.TextUnread], true],
    // Informational: the notice is still acted on.
    [[F.NamesOtherCase], false],
    [['something_else'], false],
    [[F.NamesOtherCase, F.DmarcFail], true],
    [['dmarc_fail'], true],
    [['DMARC_FAIL'], false],
  ])('%j holds the notice: %s', (flags, held) => {
    expect(holds(flags)).toBe(held);
  });

  it('holds for every flag but names_other_case and retraction (which is never routed)', () => {
    expect([...HOLD_FLAGS].sort()).toEqual([
      'counter_notice',
      'dmarc_fail',
      'sender_not_complainant',
      'text_budget_exceeded',
      'text_unread',
    ]);
    expect(Object.values(NoticeFlag).filter((f) => !holds([f]))).toEqual(['names_other_case', 'retraction']);
  });

  it('holds the whole case only for a counter-notice', () => {
    expect(STICKY_HOLD_FLAGS).toEqual(['counter_notice']);
  });

  it('keeps a stranger and the uploader out of the takedown record', () => {
    expect([...NOT_THE_COMPLAINANT].sort()).toEqual(['counter_notice', 'sender_not_complainant']);
  });
});
