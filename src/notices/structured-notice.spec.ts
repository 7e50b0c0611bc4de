import type { StructuredNotice } from '../checklist';
import type { CreateNoticeDto } from './dto/create-notice.dto';
import { mergeStructured, structuredFromDto } from './structured-notice';

describe('structuredFromDto', () => {
  it.each<[string, CreateNoticeDto]>([
    ['an empty body', {}],
    ['free text only', { text: 'Please remove https://example.com/1' }],
  ])('gives nothing for %s', (_label, dto) => {
    expect(structuredFromDto(dto)).toBeUndefined();
  });

  it.each<[string, CreateNoticeDto, StructuredNotice]>([
    ['a signature alone', { signature: 'Ada Lovelace' }, { signature: 'Ada Lovelace' }],
    ['a false affirmation (false is given)', { goodFaith: false }, { goodFaith: false }],
    ['an empty URL list', { infringingUrls: [] }, { infringingUrls: [] }],
    [
      'fields beside free text, without the text',
      { text: 'letter', work: { url: 'https://photos.example.net/1' }, searchTerms: ['harbour'] },
      { work: { url: 'https://photos.example.net/1' }, searchTerms: ['harbour'] },
    ],
    [
      'every field',
      {
        complainant: { name: 'Ada', email: 'legal@example.org', role: 'agent', ownerName: 'Harbour Photo Ltd' },
        work: { description: 'A photograph' },
        infringingUrls: ['https://example.com/1'],
        searchTerms: ['harbour'],
        goodFaith: true,
        perjury: true,
        signature: 'Ada',
      },
      {
        complainant: { name: 'Ada', email: 'legal@example.org', role: 'agent', ownerName: 'Harbour Photo Ltd' },
        work: { description: 'A photograph' },
        infringingUrls: ['https://example.com/1'],
        searchTerms: ['harbour'],
        goodFaith: true,
        perjury: true,
        signature: 'Ada',
      },
    ],
  ])('keeps %s', (_label, dto, structured) => {
    const s = structuredFromDto(dto);
    expect(s).toEqual(structured);
    expect(s).not.toHaveProperty('text');
  });
});

describe('mergeStructured', () => {
  const first: StructuredNotice = {
    complainant: { name: 'Ada Lovelace', email: 'ada@example.org', role: 'agent' },
    work: { description: 'A photograph' },
    infringingUrls: ['https://example.com/1', 'https://example.com/2'],
    searchTerms: ['harbour'],
    goodFaith: true,
  };

  it.each<[string, (StructuredNotice | null)[]]>([
    ['no notices', []],
    ['notices with free text only', [null, null]],
  ])('gives nothing for %s', (_label, all) => {
    expect(mergeStructured(all)).toBeUndefined();
  });

  it.each<[string, (StructuredNotice | null)[], StructuredNotice]>([
    ['one notice as it is', [first], first],
    ['one notice among free-text ones', [null, first, null], first],
    [
      'a later notice filling the gaps, the earlier fields kept',
      [first, { perjury: true, signature: 'Ada Lovelace', complainant: { ownerName: 'Harbour Photo Ltd' } }],
      {
        complainant: { name: 'Ada Lovelace', email: 'ada@example.org', role: 'agent', ownerName: 'Harbour Photo Ltd' },
        work: { description: 'A photograph' },
        infringingUrls: ['https://example.com/1', 'https://example.com/2'],
        searchTerms: ['harbour'],
        goodFaith: true,
        perjury: true,
        signature: 'Ada Lovelace',
      },
    ],
    [
      'a later value over an earlier one, field by field',
      [
        first,
        {
          complainant: { email: 'legal@example.org', phone: '+44 20 7946 0000' },
          work: { url: 'https://photos.example.net/1' },
          goodFaith: false,
        },
      ],
      {
        complainant: { name: 'Ada Lovelace', email: 'legal@example.org', phone: '+44 20 7946 0000', role: 'agent' },
        work: { description: 'A photograph', url: 'https://photos.example.net/1' },
        infringingUrls: ['https://example.com/1', 'https://example.com/2'],
        searchTerms: ['harbour'],
        goodFaith: false,
      },
    ],
    [
      'URL and search-term lists joined in order, repeats kept',
      [
        first,
        null,
        { infringingUrls: ['https://example.com/2', 'https://example.com/3'], searchTerms: ['dusk'] },
        { infringingUrls: ['https://example.com/4'] },
      ],
      {
        ...first,
        infringingUrls: [
          'https://example.com/1',
          'https://example.com/2',
          'https://example.com/2',
          'https://example.com/3',
          'https://example.com/4',
        ],
        searchTerms: ['harbour', 'dusk'],
      },
    ],
    [
      'a complainant and work given only later',
      [{ signature: 'Ada' }, { complainant: { name: 'Ada' }, work: { url: 'https://photos.example.net/1' } }],
      {
        signature: 'Ada',
        complainant: { name: 'Ada' },
        work: { url: 'https://photos.example.net/1' },
        infringingUrls: [],
        searchTerms: [],
      },
    ],
    [
      'lists as empty when no notice gave one',
      [{ signature: 'Ada' }, { perjury: true }],
      { signature: 'Ada', perjury: true, infringingUrls: [], searchTerms: [] },
    ],
    [
      'the last of three notices winning',
      [{ signature: 'A. Lovelace' }, { signature: 'Ada Lovelace' }, { signature: 'Ada King' }],
      { signature: 'Ada King', infringingUrls: [], searchTerms: [] },
    ],
  ])('merges %s', (_label, all, merged) => {
    expect(mergeStructured(all)).toEqual(merged);
  });

  it('leaves the notices it merges as they were', () => {
    const later: StructuredNotice = { complainant: { phone: '1' }, infringingUrls: ['https://example.com/9'] };
    const before = JSON.stringify([first, later]);
    mergeStructured([first, later]);
    expect(JSON.stringify([first, later])).toBe(before);
  });
});
