import { letterMessageId, threadFor } from './threading';

describe('letter threading', () => {
  it('makes the Message-ID from the letter id and the From domain', () => {
    expect(letterMessageId('0b6e', 'dmca@legal.example.com')).toBe('<letter-0b6e@legal.example.com>');
  });

  it.each([
    ['the first letter starts the thread', [], {}, { inReplyTo: null, references: [] }],
    ['a later letter answers the latest one', ['<a>', '<b>'], {}, { inReplyTo: '<b>', references: ['<a>', '<b>'] }],
    [
      "a reply to the sender's email answers it and keeps the chain",
      ['<a>'],
      { inReplyTo: '<theirs>', references: ['<a>'] },
      { inReplyTo: '<theirs>', references: ['<a>', '<theirs>'] },
    ],
  ])('%s', (_, earlier, reply, expected) => {
    expect(threadFor(earlier, reply)).toEqual(expected);
  });

  it('trims a long chain to its root and latest letters', () => {
    const earlier = Array.from({ length: 30 }, (_, i) => `<m${i}>`);
    const { references, inReplyTo } = threadFor(earlier);
    expect(references).toHaveLength(20);
    expect(references[0]).toBe('<m0>');
    expect(references.at(-1)).toBe('<m29>');
    expect(inReplyTo).toBe('<m29>');
  });
});
