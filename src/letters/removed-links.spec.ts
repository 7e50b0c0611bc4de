import type { SiteLink } from '../site/site-adapter';
import { removedByUploader, takedownDoneContext } from './removed-links';

const at = new Date('2026-11-29T12:00:00Z');

describe('letters about removed links', () => {
  const removed = [
    { siteRef: 'catalog:1', url: 'https://example.com/d/1', outbound: false },
    { siteRef: 'catalog:2', url: 'https://mega.nz/file/x', outbound: true },
    { siteRef: 'catalog:3', url: 'https://example.com/d/3', outbound: false },
    { siteRef: 'catalog:4', url: 'https://example.com/d/4', outbound: false },
  ];

  it('splits our removed URLs from the files we no longer link to', () => {
    expect(takedownDoneContext(removed, at)).toEqual({
      removed: ['https://example.com/d/1', 'https://example.com/d/3', 'https://example.com/d/4'],
      outbound: ['https://mega.nz/file/x'],
      at,
    });
  });

  it('groups removed links by uploader address, case-insensitively, and leaves out pages without one', () => {
    const link = (ref: string, uploaderEmail: string | null): [string, SiteLink] => [
      ref,
      { ref, url: '', label: `L${ref.slice(-1)}`, pageUrl: 'https://example.com/software/app', uploaderEmail },
    ];
    const uploaded = new Map([
      link('catalog:1', 'Up@Example.net'),
      link('catalog:2', 'up@example.net'),
      link('catalog:3', 'other@example.org'),
      link('catalog:4', null),
    ]);
    const grouped = removedByUploader(removed, uploaded);
    expect([...grouped.keys()]).toEqual(['up@example.net', 'other@example.org']);
    expect(grouped.get('up@example.net')).toEqual([
      { label: 'L1', pageUrl: 'https://example.com/software/app', url: 'https://example.com/d/1', outbound: false },
      { label: 'L2', pageUrl: 'https://example.com/software/app', url: 'https://mega.nz/file/x', outbound: true },
    ]);
  });
});
