import { Lines, lineIndexAt, normalise } from './text';

/** The lines as the rules read them, one record each, to compare with a plain split of the normalised text. */
function records(lines: Lines): { text: string; start: number; end: number; blank: boolean; bold: boolean }[] {
  return lines.slice(0, lines.length).map(({ text, start, end, blank, bold }) => ({ text, start, end, blank, bold }));
}

describe('normalise: the lines as columns', () => {
  it('has one line for each line of the normalised text, blank where trim leaves nothing', () => {
    const raw = 'Dear Sir,\r\n\r\n  \t\n**Are you the owner?** Yes\n&amp; more\u2028\n<br>\n\u00a0\u3000\nlast';
    const doc = normalise(raw);
    let start = 0;
    const expected = doc.text.split('\n').map((text) => {
      const line = { text, start, end: start + text.length, blank: text.trim() === '' };
      start += text.length + 1;
      return line;
    });
    expect(records(doc.lines).map(({ bold: _bold, ...l }) => l)).toEqual(expected);
    expect(records(doc.lines).map((l) => l.bold)).toEqual([false, false, false, true, false, false, false, false]);
  });

  it('keeps a line break inside a <br> tag a line of its own, as the input has it', () => {
    const doc = normalise('a<br\n>b\nc');
    expect(doc.lines.length).toBe(3);
    expect(doc.lines.length).toBe(doc.text.split('\n').length);
  });

  it('answers a record with its index, and finds the line of an offset', () => {
    const doc = normalise('one\n\nthree');
    expect(doc.lines.at(2)).toEqual({ index: 2, text: 'three', start: 5, end: 10, bold: false, blank: false });
    expect(doc.lines.at(1).blank).toBe(true);
    expect(lineIndexAt(doc, 6)).toBe(2);
    expect(lineIndexAt(doc, 4)).toBe(1);
  });

  it('remembers whether a line is a prompt, and never asks of a blank line', () => {
    const doc = normalise('Your name?\n\nJane');
    const asked: string[] = [];
    const decide = (text: string): boolean => {
      asked.push(text);
      return text.endsWith('?');
    };
    expect([0, 0, 1, 2].map((i) => doc.lines.prompt(i, decide))).toEqual([true, true, false, false]);
    expect(asked).toEqual(['Your name?', 'Jane']);
  });

  it('builds the text whole when a character is dropped on every line, across many pieces', () => {
    const doc = normalise('**a &amp; b\n'.repeat(10_000));
    expect(doc.text).toBe('a & b\n'.repeat(10_000));
    expect(doc.map.length).toBe(doc.text.length);
    expect(doc.lines.bold(9_999)).toBe(true);
  });

  it('makes a megabyte of line breaks a million lines without a record each', () => {
    const doc = normalise(`email${'\n'.repeat(1_000_000)}x`);
    expect(doc.lines.length).toBe(1_000_001);
    expect(doc.lines.text(0)).toBe('email');
    expect(doc.lines.blank(500_000)).toBe(true);
    expect(doc.lines.text(1_000_000)).toBe('x');
  });
});
