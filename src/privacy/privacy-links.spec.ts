import {
  confirmToken,
  exportToken,
  isConfirmTokenShaped,
  readExportToken,
  tokenHash,
  wholeSeconds,
} from './privacy-links';

const SECRET = 'a-secret-of-16-chars-or-more';
const ID = '3f2a6c1e-8b7d-4e21-9a0b-5c4d3e2f1a0b';

describe('privacy request links', () => {
  it('derives one confirmation token per request, found by its hash', () => {
    const token = confirmToken(SECRET, ID);
    expect(isConfirmTokenShaped(token)).toBe(true);
    expect(confirmToken(SECRET, ID)).toBe(token);
    expect(confirmToken('another-secret-of-16-chars', ID)).not.toBe(token);
    expect(tokenHash(token)).not.toBe(token);
    expect(isConfirmTokenShaped(`${token}x`)).toBe(false);
  });

  it('signs the export link over the request and its expiry', () => {
    const expiresAt = wholeSeconds(new Date('2026-12-01T10:00:00.123Z'));
    const token = exportToken(SECRET, ID, expiresAt);
    expect(readExportToken(SECRET, token)).toEqual({ requestId: ID, expiresAt });
    expect(readExportToken('another-secret-of-16-chars', token)).toBeUndefined();
    const later = token.replace(`.${expiresAt.getTime() / 1000}.`, `.${expiresAt.getTime() / 1000 + 3600}.`);
    expect(readExportToken(SECRET, later)).toBeUndefined();
    expect(readExportToken(SECRET, `${token}.json`)).toBeUndefined();
    expect(readExportToken(SECRET, 'nonsense')).toBeUndefined();
  });
});
