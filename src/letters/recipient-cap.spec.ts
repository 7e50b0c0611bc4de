import { recipientHash, recipientKey } from './recipient-cap';

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

describe('recipientHash', () => {
  it('names one mailbox by one hash that does not contain the address, and depends on the secret', () => {
    const hash = recipientHash('secret-one', 'Jane+dmca@Example.org');
    expect(hash).toBe(recipientHash('secret-one', 'jane@example.org'));
    expect(hash).not.toMatch(/jane|example/i);
    expect(hash).not.toBe(recipientHash('secret-two', 'jane@example.org'));
    expect(hash).not.toBe(recipientHash('secret-one', 'john@example.org'));
  });
});
