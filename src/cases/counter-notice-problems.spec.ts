import { type CounterNoticeProblem, problemText, readProblem } from './counter-notice-problems';

describe('counter-notice problems', () => {
  it.each<CounterNoticeProblem>([
    { code: 'wrongReference', named: 'DMCA-2026-000001', reference: 'DMCA-2026-000002' },
    { code: 'notTakenDown', url: 'https://softhub.test/d/1?a=b&c=d', reference: 'DMCA-2026-000002' },
  ])('reads back what it wrote: %p', (problem) => {
    expect(readProblem(problemText(problem))).toEqual(problem);
  });

  it.each([
    ['another shape', 'Something else is wrong.'],
    // A named address that was not a URL is kept as written, spaces and all.
    ['an address with spaces', problemText({ code: 'notTakenDown', url: 'my file page', reference: 'DMCA-2026-1' })],
  ])('keeps a sentence of %s as it is', (_label, text) => {
    expect(readProblem(text)).toEqual({ text });
  });
});
