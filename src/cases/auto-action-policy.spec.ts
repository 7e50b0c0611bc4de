import type { SenderStanding } from '../core/config';
import { autoActionDecision } from './auto-action-policy';

const config = (over: { requireApproval?: boolean; standings?: SenderStanding[] } = {}) => ({
  requireApproval: over.requireApproval ?? false,
  autoAction: {
    standings: over.standings ?? (['trusted_flagger', 'agency', 'verified'] as SenderStanding[]),
    maxUrls: 100,
    pageMaxDownloads: 20,
  },
});

describe('autoActionDecision (the default policy)', () => {
  it.each([
    ['trusted_flagger', 10, 0, true, 'trusted_standing'],
    ['trusted_flagger', 5000, 0, true, 'trusted_standing'],
    ['trusted_flagger', 1, 21, false, 'page_too_large'],
    ['agency', 100, 20, true, 'trusted_standing'],
    ['agency', 101, 0, false, 'too_many_urls'],
    ['verified', 3, 0, true, 'trusted_standing'],
    ['verified', 101, 0, false, 'too_many_urls'],
    ['anonymous', 1, 0, false, 'standing_not_trusted'],
    ['anonymous', 1, 21, false, 'page_too_large'],
  ] as const)(
    '%s sender, %i URLs, largest page %i downloads: act %s (%s)',
    (standing, urls, largestPage, act, reason) => {
      expect(autoActionDecision({ standing, urls, downloads: urls, largestPage }, config())).toEqual({
        act,
        reason,
        standing,
      });
    },
  );

  it('holds everything under TAKEDOWN_REQUIRE_APPROVAL, trusted flaggers too', () => {
    expect(
      autoActionDecision(
        { standing: 'trusted_flagger', urls: 1, downloads: 1, largestPage: 0 },
        config({ requireApproval: true }),
      ),
    ).toMatchObject({ act: false, reason: 'approval_required' });
  });

  it('acts on anonymous senders only when AUTO_ACTION_STANDINGS lists them', () => {
    const open = config({ standings: ['trusted_flagger', 'agency', 'verified', 'anonymous'] });
    expect(autoActionDecision({ standing: 'anonymous', urls: 1, downloads: 1, largestPage: 0 }, open).act).toBe(true);
  });
});
