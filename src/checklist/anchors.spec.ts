import { anchorsOf, matchSpans } from './anchors';

const show = (src: string, multiline = false): string =>
  anchorsOf(src, multiline)
    ?.map((a) => (a.line ? `^${a.line}` : a.anywhere ? `"${a.word}"` : `${a.word}${a.exact ? '' : '*'}`))
    .join(' ') ?? 'scan';

describe('anchorsOf: the words a match can start with', () => {
  it.each([
    ['\\bpenalt(?:y|ies)\\s+of\\s+perjury\\b', 'penalt*'],
    ['\\b(?:my|our)\\s+own\\b', 'my our'],
    ['\\b(?:I|we)\\s+own', 'i we'],
    ['\\b(?:the\\s+)?(?:original|copy)\\s+work', 'the original copy'],
    ['\\bcop(?:y|ies)\\s+of|\\bagent\\s+for\\b', 'cop* agent'],
    ['\\b(?:[Mm]y|[Oo]ur)\\s+code', 'my our'],
    ['\\be-?mail\\s*:', 'e email'],
    ['\\ban?\\s+copy', 'an a'],
    ['\\bholders?\\b', 'holders holder'],
    ['\\b(?:I|we)(?:\\s*\\(x\\))?(?:,\\s*y,)?\\s+am', 'i we'],
    // A literal starting with another character is looked for wherever it is; assertions before it are passed over.
    ["\\b(?:am|is|'m)\\s", 'am is "\'m"'],
    ['\\((?:the\\s+)?"Infringed', '"("'],
    ['(?<![\\w/])\\/\\s?s', '"/"'],
    ['(?<!x)\\bagent', 'agent*'],
    ['\\b(?=[a-z])agent', 'agent*'],
    ['^[ \\t]*regards', '^text'],
    // Short words that may go on, classes, a word without \b, \B and repeated groups: scanned whole.
    ['\\b(?:ph|tel)\\w*:', 'scan'],
    ['\\b(?:my|our)\\w+', 'scan'],
    ['\\b[A-Z][a-z]+ Street', 'scan'],
    ['\\bagent\\b|owner', 'scan'],
    ['\\b(?:ab)+c', 'scan'],
    ['\\b(?:a|)x', 'scan'],
    ['\\B\\bagent', 'scan'],
    ['\\s+x', 'scan'],
    ['\\d{3}-x', 'scan'],
  ])('%s', (src, expected) => {
    expect(show(src)).toBe(expected);
  });

  it('reads "^" with the m flag as every line start', () => {
    expect(show('^[ \\t]*regards', true)).toBe('^lines');
  });
});

describe('matchSpans finds what String.prototype.matchAll finds', () => {
  const filler = 'Further remarks follow. '.repeat(30);
  const texts = [
    `${filler}My code and our code; I own it. We OWN it; mine, ourselves, I_own, 1my code.`,
    `${filler}penalty of perjury, PENALTIES OF PERJURY, xpenalty of perjury, penalty  of\nperjury.`,
    // Characters that lower-case to two ("İ") or to ASCII (the Kelvin sign), and other scripts.
    `${filler}İstanbul my code \u212Aelvin agent for the owner; çmy code, émy code, my\u00a0code.`,
    `${filler}e-mail: a@b.c, email: d@e.f, E-Mail : g, emails: h, a copy, an copy, acopy.`,
    `${filler}${'the original work '.repeat(40)}`,
    `${filler}I'm the owner, I am the owner, I'M THE OWNER (the "Infringed Work") ("ORIGINAL WORK") /s/ x/s/\nRegards,\n  thanks\r\nThanks\u2028regards\n`,
  ];
  const patterns = [
    /\b(?:my|our)\s+code\b/gi,
    /\b(?:I|we)\s+own\b/gi,
    /\b(?:[Mm]y|[Oo]ur)\s+code/g,
    /\bpenalt(?:y|ies)\s+of\s+perjury\b/gi,
    /\be-?mail\s*:/gi,
    /\ban?\s+copy/gi,
    /\b(?:the\s+)?(?:original|copy)\s+work/gi,
    /\bagent\s+for\b|\bowner\b/gi,
    /\bkelvin\b/gi,
    /\b(?:my|our)\s+code\b/giu,
    /\b(?:am|'m)\s+the\s+owner/gi,
    /\((?:the\s+)?"(?:Infringed|Original)\s+Work"\)/gi,
    /(?<![\w/])\/\s?s\s?\//g,
    /^[ \t]*(?:regards|thanks),?\s*$/gim,
    /^\s*/gm,
    /^further/gi,
  ];
  const spans = (text: string, re: RegExp) => [...text.matchAll(re)].map((m) => [m.index, m.index + m[0].length]);

  it.each(patterns.map((re) => [re]))('%s', (re) => {
    for (const text of texts) {
      expect(matchSpans(text, re).map((s) => [s.start, s.end])).toEqual(spans(text, re));
    }
  });

  it("starts at the pattern's lastIndex and leaves it as it was", () => {
    const re = /\b(?:my|our)\s+code\b/gi;
    re.lastIndex = 800;
    const expected = spans(texts[0], re);
    expect(matchSpans(texts[0], re).map((s) => [s.start, s.end])).toEqual(expected);
    expect(re.lastIndex).toBe(800);
  });

  it('refuses a pattern without the g flag, as matchAll does', () => {
    expect(() => matchSpans(texts[0], /\bmy\s+code/i)).toThrow(TypeError);
  });
});
