import { replyText } from './reply-text';

describe('replyText', () => {
  it('drops quoted lines, their attribution and an Original Message tail', () => {
    const reply = [
      'I have a good faith belief that this use is not authorized.',
      '',
      'On Tue, 1 Dec 2026, Desk <dmca@example.com> wrote:',
      '> Include this sentence: "I swear, under penalty of perjury ..."',
      '>',
    ].join('\n');
    expect(replyText(reply)).toBe('I have a good faith belief that this use is not authorized.');
    expect(replyText('Signed, Jane\n-----Original Message-----\nI swear, under penalty of perjury')).toBe(
      'Signed, Jane',
    );
  });

  it('reads the markers after leading spaces, and only at a line start', () => {
    expect(replyText('Mine\r\n  \t> quoted\r\nalso mine\r\n\u00a0-- Original Message --\nold')).toBe('Mine\nalso mine');
    expect(replyText('a > b\nc -- Original Message --\nd')).toBe('a > b\nc -- Original Message --\nd');
  });

  it('drops an attribution line only where "wrote:" is a word that ends it', () => {
    expect(replyText('Keep\nJane wrote: \t\r\n\n> old')).toBe('Keep');
    expect(replyText('Keep\n(wrote:)\n> old')).toBe('Keep\n(wrote:)');
    expect(replyText('Keep\nShe rewrote:\n> old')).toBe('Keep\nShe rewrote:');
    expect(replyText('wrote:\n> old')).toBe('');
    expect(replyText('Keep\n \u3000\n\n')).toBe('Keep');
  });

  it('keeps a megabyte of blank lines to the last non-blank one', () => {
    expect(replyText(`x${'\n'.repeat(1_000_000)}`)).toBe('x');
    expect(replyText(`x${'\n'.repeat(1_000_000)}y`)).toBe(`x${'\n'.repeat(1_000_000)}y`);
  });
});
