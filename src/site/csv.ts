import { parse } from 'csv-parse/sync';

/**
 * CSV by csv-parse: RFC 4180 quoting (doubled quotes, commas and line breaks inside quotes), CRLF or LF, a UTF-8
 * byte-order mark dropped, rows of any length (a short row reads as empty fields, as before), blank lines skipped.
 * Throws csv-parse's error, naming the line, for a malformed quote.
 */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = parse(text, { bom: true, relaxColumnCount: true, skipEmptyLines: true });
  return rows;
}
