import { CaseStatus } from '../cases/case.entity';
import { createProviderRegistry } from '../links';
import { referralGroups, routedStatus } from './routing-plan';

const registry = createProviderRegistry([
  { id: 'mega', name: 'MEGA', domains: ['mega.nz'], copyright: { email: 'copyright@mega.nz' }, verified: true },
  {
    id: 'gdrive',
    name: 'Google Drive',
    domains: ['drive.google.com'],
    copyright: { webForm: 'https://support.google.test/legal' },
    verified: true,
  },
]);

const link = (url: string, provider: string | null): { url: string; provider: string | null } => ({ url, provider });

describe('referralGroups', () => {
  it.each([
    ['no links', []],
    ['links with no provider', [link('https://files.example.net/1', null), link('https://files.example.net/2', null)]],
  ])('refers nothing for %s', (_label, disk) => {
    expect(referralGroups(disk, registry)).toEqual([]);
  });

  it('groups by provider in the order the providers first appear, keeping each group in link order', () => {
    const disk = [
      link('https://drive.google.com/file/d/1', 'gdrive'),
      link('https://mega.nz/file/a', 'mega'),
      link('https://files.example.net/x', null),
      link('https://drive.google.com/file/d/2', 'gdrive'),
      link('https://mega.nz/file/b', 'mega'),
      link('https://drive.google.com/file/d/1', 'gdrive'),
    ];
    expect(referralGroups(disk, registry)).toEqual([
      {
        id: 'gdrive',
        name: 'Google Drive',
        channel: { webForm: 'https://support.google.test/legal' },
        links: [
          'https://drive.google.com/file/d/1',
          'https://drive.google.com/file/d/2',
          'https://drive.google.com/file/d/1',
        ],
      },
      {
        id: 'mega',
        name: 'MEGA',
        channel: { email: 'copyright@mega.nz' },
        links: ['https://mega.nz/file/a', 'https://mega.nz/file/b'],
      },
    ]);
  });

  it('names a provider the registry no longer has by its id, with no channel', () => {
    expect(referralGroups([link('https://gone.example/1', 'gone')], registry)).toEqual([
      { id: 'gone', name: 'gone', channel: {}, links: ['https://gone.example/1'] },
    ]);
  });
});

describe('routedStatus', () => {
  it.each([
    // takedowns made, providers referred to, TAKEDOWN_REQUIRE_APPROVAL, status
    [0, 0, false, CaseStatus.InReview],
    [0, 0, true, CaseStatus.InReview],
    [1, 0, false, CaseStatus.Actioned],
    [0, 1, false, CaseStatus.Actioned],
    [3, 2, false, CaseStatus.Actioned],
    [1, 0, true, CaseStatus.InReview],
    [0, 1, true, CaseStatus.InReview],
    [3, 2, true, CaseStatus.InReview],
  ])('%i takedowns and %i referrals (approval: %s) leave the case %s', (created, referred, requireApproval, status) => {
    expect(routedStatus(created, referred, requireApproval)).toBe(status);
  });
});
