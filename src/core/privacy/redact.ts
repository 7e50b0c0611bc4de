// Letters and digits of any script, as addresses may carry them; "%40" is an "@" escaped in a URL.
const EMAIL = /[\p{L}\p{N}._%+-]{1,64}(?:@|%40)[\p{L}\p{N}.-]{1,253}\.\p{L}{2,24}/gu;

// Seven or more digits with the usual separators: phone and fax numbers, not years or case numbers. A run that
// continues a word, an id or a decimal ("DMCA-2026-000042", a UUID's last group, "/d/1234567", "3.1415926") is
// not one, and neither is a run the text goes on from ("12345678abc").
const PHONE =
  /(?:(?<![\p{L}\p{N}_+])\+|(?<![\p{L}\p{N}_+.-]|[\p{L}_]\/))\(?\d[\d ().\u00a0-]{5,20}\d(?![\p{L}\p{N}_-]|\.\d)/gu;
// Dates are cut out first: "2026-12-02" has eight digits and dashes, and no number runs across one.
const DATES = /((?<!\d)\d{4}-\d{2}-\d{2}(?!\d))/;
const IPV4 = /^\d{1,3}(?:\.\d{1,3}){3}$/;
const DECIMAL = /^\d+\.\d+$/;
// A bare count of something ("26214400 bytes"), as logs and error messages write sizes and durations.
const UNIT = /^\s?(?:bytes?|B|KB|MB|ms|s|seconds?|characters?|chars)\b/;

/** Hides e-mail addresses and phone numbers in text shown to anyone but staff, or written to a log. */
export function redactPersonalData(text: string): string {
  return redactPhones(text.replace(EMAIL, '[email redacted]'));
}

function redactPhones(text: string): string {
  return text
    .split(DATES)
    .map((part, i) => (i % 2 === 1 ? part : part.replace(PHONE, (m: string, at: number) => phone(m, part, at))))
    .join('');
}

function phone(m: string, text: string, at: number): string {
  if (m.replace(/\D/g, '').length < 7 || IPV4.test(m) || DECIMAL.test(m)) return m;
  if (/^\d+$/.test(m) && UNIT.test(text.slice(at + m.length))) return m;
  return '[phone redacted]';
}

/** "Jane Doe" → "J. D."; keeps a case recognisable to its sender without showing the name to others. */
export function initials(name: string | null | undefined): string {
  if (!name) return '';
  return name
    .split(/\s+/)
    .filter(Boolean)
    .map((w) => `${w[0].toUpperCase()}.`)
    .join(' ');
}
