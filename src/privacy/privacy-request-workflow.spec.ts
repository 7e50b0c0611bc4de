import { assertPrivacyRequestMove, isOpen, PRIVACY_REQUEST_TRANSITIONS } from './privacy-request-workflow';
import { PrivacyRequestStatus as S } from './privacy-request.entity';

describe('the privacy request workflow', () => {
  it.each([
    [S.Received, S.Confirmed, true],
    [S.Received, S.Done, true],
    [S.Confirmed, S.PartiallyRetained, true],
    [S.Suppressed, S.Done, true],
    [S.Suppressed, S.Rejected, true],
    [S.Suppressed, S.Confirmed, false],
    [S.Confirmed, S.Received, false],
    [S.Done, S.Rejected, false],
    [S.Rejected, S.Done, false],
    [S.PartiallyRetained, S.Done, false],
  ])('%s → %s allowed: %s', (from, to, allowed) => {
    if (allowed) expect(() => assertPrivacyRequestMove(from, to)).not.toThrow();
    else expect(() => assertPrivacyRequestMove(from, to)).toThrow(/cannot become/);
  });

  it('settles for good: a final status goes nowhere and is not open', () => {
    for (const status of [S.Done, S.PartiallyRetained, S.Rejected]) {
      expect(PRIVACY_REQUEST_TRANSITIONS[status]).toEqual([]);
      expect(isOpen(status)).toBe(false);
    }
    for (const status of [S.Received, S.Confirmed, S.Suppressed]) expect(isOpen(status)).toBe(true);
  });
});
