import { inputProblem, MAX_BODY_DEPTH } from './request-input';

const nested = (levels: number): unknown => {
  let value: unknown = 'leaf';
  for (let i = 0; i < levels; i++) value = i % 2 ? { a: value } : [value];
  return value;
};

describe('inputProblem', () => {
  it.each([
    [{ name: 'Jane Roe', urls: ['https://example.com/d/1'] }, undefined],
    [{ complainant: { name: 'Jane\u0000Roe' } }, 'complainant.name in the body contains a NUL byte'],
    [{ urls: ['ok', 'bad\u0000'] }, 'urls[1] in the body contains a NUL byte'],
    [{ complainant: { ['na\u0000me']: 'x' } }, 'A field name in complainant in the body contains a NUL byte'],
    ['\u0000', 'the body contains a NUL byte'],
    [{ count: 3, ok: true, none: null }, undefined],
  ])('%j → %s', (input, expected) => {
    const problem = inputProblem(input, 'the body');
    if (expected === undefined) expect(problem).toBeUndefined();
    else expect(problem).toContain(expected);
  });

  it('names the first problem in document order', () => {
    expect(inputProblem({ a: 'x\u0000', b: 'y\u0000' }, 'the body')).toMatch(/^a in the body/);
  });

  it(`takes ${MAX_BODY_DEPTH} levels and refuses one more`, () => {
    expect(inputProblem(nested(MAX_BODY_DEPTH), 'the body')).toBeUndefined();
    expect(inputProblem(nested(MAX_BODY_DEPTH + 1), 'the body')).toBe(
      `the body is nested deeper than ${MAX_BODY_DEPTH} levels.`,
    );
  });

  it('measures a body nested a million deep without overflowing the stack', () => {
    expect(inputProblem(nested(1_000_000), 'the body')).toMatch(/nested deeper/);
  });
});
