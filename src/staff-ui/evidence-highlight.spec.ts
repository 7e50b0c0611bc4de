import { type ElementEvidence, highlightEvidence, MAX_MARKS_PER_QUOTE } from './evidence-highlight';

/** Segments written compactly: plain text as a string, marked text as [text, ...elements]. */
type Expected = (string | [string, ...string[]])[];

const compact = (segments: { text: string; elements: string[] }[]): Expected =>
  segments.map((s) => (s.elements.length ? [s.text, ...s.elements] : s.text));

describe('highlightEvidence', () => {
  const cases: { name: string; text: string; evidence: ElementEvidence[]; expected: Expected }[] = [
    { name: 'no evidence', text: 'Hello there.', evidence: [], expected: ['Hello there.'] },
    { name: 'empty text', text: '', evidence: [{ element: 'work', quotes: ['x'] }], expected: [] },
    {
      name: 'one quote in the middle',
      text: 'Dear sir. I have a good faith belief. Thanks',
      evidence: [{ element: 'good_faith', quotes: ['I have a good faith belief.'] }],
      expected: ['Dear sir. ', ['I have a good faith belief.', 'good_faith'], ' Thanks'],
    },
    {
      name: 'a quote at each end',
      text: 'Acme Studio is copied. Jane Roe',
      evidence: [
        { element: 'work', quotes: ['Acme Studio'] },
        { element: 'signature', quotes: ['Jane Roe'] },
      ],
      expected: [['Acme Studio', 'work'], ' is copied. ', ['Jane Roe', 'signature']],
    },
    {
      name: 'every occurrence of a quote',
      text: 'Jane Roe wrote; signed Jane Roe',
      evidence: [{ element: 'signature', quotes: ['Jane Roe'] }],
      expected: [['Jane Roe', 'signature'], ' wrote; signed ', ['Jane Roe', 'signature']],
    },
    {
      name: 'overlapping quotes of two elements, in the order given',
      text: 'I swear under penalty of perjury that I am authorised to act.',
      evidence: [
        { element: 'authority', quotes: ['I am authorised to act'] },
        { element: 'perjury', quotes: ['I swear under penalty of perjury that I am authorised'] },
      ],
      expected: [
        ['I swear under penalty of perjury that ', 'perjury'],
        ['I am authorised', 'authority', 'perjury'],
        [' to act', 'authority'],
        '.',
      ],
    },
    {
      name: 'a quote inside another of the same element stays one mark',
      text: 'abc def ghi',
      evidence: [{ element: 'work', quotes: ['abc def ghi', 'def'] }],
      expected: [['abc def ghi', 'work']],
    },
    {
      name: 'adjacent quotes of one element merge',
      text: 'onetwo three',
      evidence: [{ element: 'work', quotes: ['one', 'two'] }],
      expected: [['onetwo', 'work'], ' three'],
    },
    {
      name: 'structured-field descriptions and missing quotes mark nothing',
      text: 'A plain letter.',
      evidence: [{ element: 'signature', quotes: ['field signature: Jane Roe', 'not here', '', '   '] }],
      expected: ['A plain letter.'],
    },
    {
      name: 'markup is only text to the highlighter',
      text: 'x <script>alert(1)</script> y',
      evidence: [{ element: 'infringing_material', quotes: ['<script>alert(1)</script>'] }],
      expected: ['x ', ['<script>alert(1)</script>', 'infringing_material'], ' y'],
    },
    {
      name: 'the same quote listed twice counts once',
      text: 'see https://example.com/d/1 now',
      evidence: [{ element: 'infringing_material', quotes: ['https://example.com/d/1', 'https://example.com/d/1'] }],
      expected: ['see ', ['https://example.com/d/1', 'infringing_material'], ' now'],
    },
  ];

  it.each(cases)('$name', ({ text, evidence, expected }) => {
    const segments = highlightEvidence(text, evidence);
    expect(compact(segments)).toEqual(expected);
    expect(segments.map((s) => s.text).join('')).toBe(text);
  });

  it(`marks at most ${MAX_MARKS_PER_QUOTE} occurrences of one quote`, () => {
    const text = 'ab '.repeat(MAX_MARKS_PER_QUOTE + 5);
    const marked = highlightEvidence(text, [{ element: 'work', quotes: ['ab'] }]).filter((s) => s.elements.length);
    expect(marked).toHaveLength(MAX_MARKS_PER_QUOTE);
  });
});
