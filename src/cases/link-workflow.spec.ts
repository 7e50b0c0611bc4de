import { isActionable } from '../links';
import { canMoveLink, initialLinkStatus, LINK_TRANSITIONS } from './link-workflow';
import { LinkStatus } from './reported-link.entity';

describe('link workflow', () => {
  it('lists every status, and only known statuses as targets', () => {
    const statuses = Object.values(LinkStatus);
    expect(Object.keys(LINK_TRANSITIONS).sort()).toEqual([...statuses].sort());
    for (const targets of Object.values(LINK_TRANSITIONS)) for (const t of targets) expect(statuses).toContain(t);
  });

  it.each([
    [LinkStatus.Pending, LinkStatus.Approved, true],
    [LinkStatus.Pending, LinkStatus.Rejected, true],
    [LinkStatus.Approved, LinkStatus.TakenDown, true],
    [LinkStatus.TakenDown, LinkStatus.Restored, true],
    [LinkStatus.NotFound, LinkStatus.Approved, true],
    [LinkStatus.Rejected, LinkStatus.Approved, true],
    // What is done cannot be undone by approving or rejecting: a removal is reversed only by restoring it.
    [LinkStatus.TakenDown, LinkStatus.Rejected, false],
    [LinkStatus.TakenDown, LinkStatus.Approved, false],
    [LinkStatus.Referred, LinkStatus.Rejected, false],
    [LinkStatus.Restored, LinkStatus.TakenDown, false],
    [LinkStatus.Pending, LinkStatus.TakenDown, false],
  ])('%s → %s: %s', (from, to, allowed) => {
    expect(canMoveLink(from, to)).toBe(allowed);
  });

  it('acts only on links sorted to our site or a storage provider', () => {
    expect(isActionable('internal')).toBe(true);
    expect(isActionable('external_disk')).toBe(true);
    expect(isActionable('external_other')).toBe(false);
    expect(isActionable('invalid')).toBe(false);
  });

  it.each([
    ['internal', 'infringing', LinkStatus.Pending],
    ['external_disk', 'infringing', LinkStatus.Pending],
    ['external_other', 'infringing', LinkStatus.Ignored],
    ['invalid', 'infringing', LinkStatus.Ignored],
    ['internal', 'original', LinkStatus.Ignored],
    ['external_disk', 'reference', LinkStatus.Ignored],
  ] as const)('records a %s %s link as %s', (classification, role, status) => {
    expect(initialLinkStatus({ classification, role })).toBe(status);
  });
});
