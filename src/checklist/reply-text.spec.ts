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
});
