import { recipientKey } from './recipient-cap';

describe('recipientKey', () => {
  it.each([
    ['Jane@Example.ORG', 'jane@example.org'],
    ['jane+dmca@example.org', 'jane@example.org'],
    ['Jane+1+2@example.org', 'jane@example.org'],
    ['+tag@example.org', '+tag@example.org'],
    ['jane.roe@example.org', 'jane.roe@example.org'],
    ['"a@b"@example.org', '"a@b"@example.org'],
  ])('counts %s as %s', (address, key) => {
    expect(recipientKey(address)).toBe(key);
  });
});
