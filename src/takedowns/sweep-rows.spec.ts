import { groupBy, removedLink, uploaderOf } from './sweep-rows';
import { TakedownReason } from './takedown.entity';

describe('groupBy', () => {
  it.each<[string, { id: string; caseId: string }[], string[][]]>([
    ['nothing', [], []],
    ['one case', [{ id: 'a', caseId: 'c1' }], [['a']]],
    [
      'cases in the order they first appear, rows in their order',
      [
        { id: 'a', caseId: 'c2' },
        { id: 'b', caseId: 'c1' },
        { id: 'c', caseId: 'c2' },
        { id: 'd', caseId: 'c3' },
        { id: 'e', caseId: 'c1' },
      ],
      [['a', 'c'], ['b', 'e'], ['d']],
    ],
  ])('groups %s', (_label, rows, ids) => {
    expect(groupBy(rows, (r) => r.caseId).map((g) => g.map((r) => r.id))).toEqual(ids);
  });
});

describe('uploaderOf', () => {
  it.each([
    ['no site link', undefined, null],
    ['a link without an uploader address', { ref: 'p1', url: 'https://example.com/1', label: 'Harbour' }, null],
    ['an empty uploader address', { ref: 'p1', url: 'https://example.com/1', uploaderEmail: '' }, null],
    [
      'an uploader with no label or page',
      { ref: 'p1', url: 'https://example.com/1', uploaderEmail: 'up@example.org' },
      { email: 'up@example.org', label: null, pageUrl: null },
    ],
    [
      'an uploader with label and page',
      {
        ref: 'p1',
        url: 'https://example.com/1',
        uploaderEmail: 'up@example.org',
        label: 'Harbour at dusk',
        pageUrl: 'https://example.com/p/1',
      },
      { email: 'up@example.org', label: 'Harbour at dusk', pageUrl: 'https://example.com/p/1' },
    ],
  ])('for %s', (_label, siteLink, uploader) => {
    expect(uploaderOf(siteLink)).toEqual(uploader);
  });
});

describe('removedLink', () => {
  it.each([
    [TakedownReason.Reported, false],
    [TakedownReason.OutboundLink, true],
  ])('a %s takedown removed an outbound link: %s', (reason, outbound) => {
    expect(removedLink({ site_ref: 'p1', url: 'https://example.com/1', reason })).toEqual({
      siteRef: 'p1',
      url: 'https://example.com/1',
      outbound,
    });
  });
});

describe('groupBy at scale', () => {
  it('groups 100,000 items under one key in order, without copying the group on each insert', () => {
    const items = Array.from({ length: 100_000 }, (_, i) => ({ i, key: 'one' }));
    const [group] = groupBy(items, (t) => t.key);
    expect(group).toHaveLength(100_000);
    expect(group[99_999].i).toBe(99_999);
  });
});
