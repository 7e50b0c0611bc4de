import { parseCsv } from './csv';

describe('parseCsv', () => {
  it('reads quotes, doubled quotes, commas and line breaks inside quotes, CRLF and a BOM', () => {
    const text = '\uFEFFslug,title\r\n"a-1","Acme, ""Studio"" 5"\r\nb-2,"two\nlines"\r\n';
    expect(parseCsv(text)).toEqual([
      ['slug', 'title'],
      ['a-1', 'Acme, "Studio" 5'],
      ['b-2', 'two\nlines'],
    ]);
  });

  it('keeps short rows and skips blank lines', () => {
    expect(parseCsv('a,b,c\n\n1,2\n')).toEqual([
      ['a', 'b', 'c'],
      ['1', '2'],
    ]);
  });

  it('refuses a quote left open, naming where', () => {
    expect(() => parseCsv('a,b\n"open,1\n')).toThrow(/Quote Not Closed|quote/i);
  });
});
