import { initials, redactPersonalData } from './redact';

describe('redactPersonalData', () => {
  it.each([
    ['a bare address', 'write to jane.roe@agency.example.org today', 'write to [email redacted] today'],
    [
      'an address in angle brackets, as SMTP replies quote it',
      '550 5.1.1 <jane@x.org>: unknown',
      '550 5.1.1 <[email redacted]>: unknown',
    ],
    [
      'a display name and address',
      'From: "Roe, Jane" <Jane.Roe+dmca@Agency.Example.ORG>',
      'From: "Roe, Jane" <[email redacted]>',
    ],
    ['an address in a URL query', 'GET /status?email=jane%40x.org&x=1', 'GET /status?email=[email redacted]&x=1'],
    ['an address with letters beyond ASCII', 'from jörg@bücher.example', 'from [email redacted]'],
    ['a US number with a country code', 'call +1 (555) 010-2345 now', 'call [phone redacted] now'],
    ['a number in brackets', 'call (555) 010-2345', 'call [phone redacted]'],
    ['an international number', 'Tel: +44 20 7946 0958.', 'Tel: [phone redacted].'],
    ['a number with dots', 'phone 415.555.0100', 'phone [phone redacted]'],
    ['a number written as one run', 'phone=4155550100;', 'phone=[phone redacted];'],
    ['a tel: link', 'tel:+14155550100', 'tel:[phone redacted]'],
    ['a number after a slash-separated area code', 'Fon 030/1234567', 'Fon 030/[phone redacted]'],
    ['a local number', 'ring 555-0100', 'ring [phone redacted]'],
  ])('hides %s', (_, text, expected) => {
    expect(redactPersonalData(text)).toBe(expected);
  });

  it.each([
    ['a case reference', 'Takedown for DMCA-2026-000042 failed'],
    ['a UUID', 'Letter 550e8400-e29b-41d4-a716-446655440000 sent'],
    ['a UUID of digits', 'inbound 12345678-1234-1234-1234-123456789012: parsed'],
    ['a date and time', 'due 2026-12-02 04:31:02 and 2026-12-02T04:31:02.123Z'],
    ['an IPv4 address', 'stored it from 192.168.100.200:25'],
    ['a byte count', 'refused 26214401 bytes: over 26214400 bytes'],
    ['a duration', 'took 1234567 ms'],
    ['a download URL', 'https://example.com/d/1001234567'],
    ['a decimal', 'pi is 3.14159265'],
    ['a year', 'filed in 2026'],
    ['short numbers', 'attempt 3 of 5, 120 links, port 1025'],
    ['a package path in a stack', 'at x (/app/node_modules/@nestjs/core/router/router-explorer.js:200:12)'],
  ])('leaves %s alone', (_, text) => {
    expect(redactPersonalData(text)).toBe(text);
  });

  it('hides a number written after a date', () => {
    expect(redactPersonalData('2026-12-02 415 555 0100')).toBe('2026-12-02 [phone redacted]');
  });
});

describe('initials', () => {
  it('keeps the first letter of each word', () => {
    expect(initials('Jane  van Roe')).toBe('J. V. R.');
    expect(initials(null)).toBe('');
  });
});
