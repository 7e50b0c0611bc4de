import { CounterNoticeStatus as S } from './counter-notice.entity';
import { assertCounterNoticeMove, COUNTER_NOTICE_TRANSITIONS } from './counter-notice-workflow';

describe('the counter-notice workflow', () => {
  const all = Object.values(S);
  const pairs = all.flatMap((from) => all.map((to) => [from, to] as const));

  it.each(pairs)('%s → %s is allowed exactly when the table says so', (from, to) => {
    const allowed = COUNTER_NOTICE_TRANSITIONS[from].includes(to);
    if (allowed) expect(() => assertCounterNoticeMove(from, to)).not.toThrow();
    else expect(() => assertCounterNoticeMove(from, to)).toThrow(`cannot become ${to}`);
  });

  it('lets a suit stop a forwarded counter-notice, and nothing restore one after a suit', () => {
    expect(() => assertCounterNoticeMove(S.Forwarded, S.SuitFiled)).not.toThrow();
    expect(() => assertCounterNoticeMove(S.SuitFiled, S.Restored)).toThrow();
    expect(() => assertCounterNoticeMove(S.Restored, S.SuitFiled)).toThrow();
  });
});
