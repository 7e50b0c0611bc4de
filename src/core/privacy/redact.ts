const EMAIL = /[A-Za-z0-9._%+-]{1,64}@[A-Za-z0-9.-]{1,253}\.[A-Za-z]{2,24}/g;
// Seven or more digits with the usual separators: phone and fax numbers, not years or case numbers.
const PHONE = /(?:\+|\b)\d[\d ().-]{5,18}\d\b/g;

/** Hides e-mail addresses and phone numbers in text shown to anyone but staff. */
export function redactPersonalData(text: string): string {
  return text.replace(EMAIL, '[email redacted]').replace(PHONE, (m) => {
    const digits = m.replace(/\D/g, '');
    return digits.length >= 7 ? '[phone redacted]' : m;
  });
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
