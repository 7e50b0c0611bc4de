import { mayMatch, requirementOf, type Requirement } from './prefilter';

const show = (r: Requirement | undefined): string =>
  r
    ? r.branches
        .map((b) =>
          b
            .map((t) => (typeof t === 'string' ? t.split(String.fromCharCode(1)).join('_') : `(${show(t)})`))
            .join(' & '),
        )
        .join(' | ')
    : 'any';

const pad = (s: string): string => `${'Further remarks follow. '.repeat(30)}${s}${' More text here.'.repeat(10)}`;

describe('requirementOf: the literals every match contains', () => {
  it.each([
    [/\bpenalt(?:y|ies)\s+of\s+perjury\b/gi, 'penalt & _of_ & _perjury'],
    [/\bgood[\s\u2010\u2011-]{1,3}faith\b/gi, 'good & faith'],
    [/\b(?:owns?|held)\s+by\b/gi, '(own | held) & _by'],
    [/ab?cdef|xyz+/g, 'cdef | xyz'],
    // Optional parts, short words and classes give nothing; a branch with nothing matches anything.
    [/\b(?:I|we)\s+own/gi, '_own'],
    [/\b(?:ph|tel)\s*:/gi, 'any'],
    [/[A-Z][a-z]+ Street/g, '_street'],
    [/\bcop(?:y|ies)?\s+of/gi, 'cop & _of'],
    [/(?<=x)abc(?!d)/g, 'abc'],
    [/(?<name>abc)\k<name>/g, '(abc)'],
    [/\p{L}{2}\u00e9abc/u, 'abc'],
  ])('%s', (re, expected) => {
    expect(show(requirementOf(re.source))).toBe(expected);
  });
});

describe('mayMatch: false only where the pattern has no match', () => {
  const patterns = [
    /\bpenalt(?:y|ies)\s+of\s+perjury\b/gi,
    /\bgood[\s\u2010\u2011-]{1,3}faith\b/gi,
    /\b(?:I|we)\s+(?:am|are)\s+(?:an?\s+|the\s+)?authori[sz]ed\s+(?:agent|representative)\b/gi,
    /\bISBN(?:-1[03])?\s*:?\s*[\d-]{10}/gi,
    /\bcopyrighted\s+(?:material|work)s?\s+being\s+infringed\s*:\s*\S/gi,
    /\b(?:My|Our)\s+(?:own\s+)?(?:copyrighted|proprietary)\b/g,
    /^[ \t]*attn\.?\s+\S/gim,
  ];
  const texts = [
    'I swear, under PENALTY\tOF\u00a0Perjury, that ...',
    'We have a good\u2010faith belief',
    'we are the authorised   representative of',
    'ISBN-13: 978-3-16-148410-0',
    'Copyrighted\nworks being infringed:\nthe app',
    'Our own proprietary code',
    'Attn. Legal',
    'nothing of the kind',
  ].map(pad);

  it.each(patterns.map((re) => [re]))('%s', (re) => {
    for (const text of texts) {
      const matches = [...text.matchAll(re)].length;
      if (matches > 0) expect(mayMatch(text, re)).toBe(true);
    }
    // And it does skip: no text without the words is scanned.
    expect(mayMatch(texts[texts.length - 1], re)).toBe(false);
  });

  it('runs every pattern on a short text, and a pattern folded by Unicode case rules on any text', () => {
    expect(mayMatch('nothing', /perjury/g)).toBe(true);
    // "ſ" (long s) matches "s" under the u and i flags.
    expect(/perjury\s+statement/iu.test(pad('perjury ſtatement'))).toBe(true);
    expect(mayMatch(pad('perjury ſtatement'), /perjury\s+statement/giu)).toBe(true);
  });
});
