import { createProviderRegistry } from './provider-registry';
import { sortLinks, type LinkRole } from './index';

const registry = createProviderRegistry([
  { id: 'mega', name: 'MEGA', domains: ['mega.nz'], copyright: { email: 'copyright@mega.nz' }, verified: false },
]);
const opts = { siteDomains: ['example.com'], registry };

function roles(text: string, extra: { infringingUrls?: string[]; workUrl?: string } = {}): Record<string, LinkRole> {
  return Object.fromEntries(sortLinks({ text, ...extra }, opts).map((l) => [l.url, l.role]));
}

describe('sortLinks roles from context', () => {
  const cases: Array<[string, string, Record<string, LinkRole>]> = [
    [
      'section headings',
      'Original work:\nhttps://author.org/book\n\nInfringing material:\nhttps://example.com/post/1\nhttps://mega.nz/file/x',
      {
        'https://author.org/book': 'original',
        'https://example.com/post/1': 'infringing',
        'https://mega.nz/file/x': 'infringing',
      },
    ],
    [
      'sentence cues',
      'The original work is at https://author.org/w. Our website: https://author.org/. ' +
        'The copy is at https://example.com/copy.',
      {
        'https://author.org/w': 'original',
        'https://author.org/': 'original',
        'https://example.com/copy': 'infringing',
      },
    ],
    [
      '"(from ...)" after an infringing item',
      '- https://example.com/a (from http://author.jp/a.zip)\n- https://example.com/b (from http://author.jp/b.zip)',
      {
        'https://example.com/a': 'infringing',
        'http://author.jp/a.zip': 'original',
        'https://example.com/b': 'infringing',
        'http://author.jp/b.zip': 'original',
      },
    ],
    [
      'internal original named as such',
      'This repo is copied from our own repository https://example.com/us/core to https://example.com/them/core.',
      { 'https://example.com/us/core': 'original', 'https://example.com/them/core': 'infringing' },
    ],
    [
      'GitHub questionnaire: infringing copies quoted in the work answer stay infringing',
      '**Please provide a detailed description of the original copyrighted work that has allegedly been infringed.**\n\n' +
        'Our private app, copied here:\n\nhttps://example.com/x/app\n\n' +
        '**If the original work referenced above is available online, please provide a URL.**\n\nhttps://author.org/app\n\n' +
        '**Identify the full repository URL that is infringing:**\n\nhttps://example.com/x/app\n\n' +
        "**Do you have the alleged infringer's contact information? If so, please provide it.**\n\nhttps://example.com/x\n",
      {
        'https://example.com/x/app': 'infringing',
        'https://author.org/app': 'original',
        'https://example.com/x': 'reference',
      },
    ],
    [
      'references: help pages, licences, footers, signatures',
      'Per https://docs.github.com/en/site-policy and https://creativecommons.org/licenses/by/4.0/ ' +
        'please remove https://example.com/copy\n\nSincerely,\nJane\nACME https://acme-corp.org/about\nWebsite: https://acme-corp.org/',
      {
        'https://docs.github.com/en/site-policy': 'reference',
        'https://creativecommons.org/licenses/by/4.0/': 'reference',
        'https://example.com/copy': 'infringing',
        'https://acme-corp.org/about': 'reference',
        'https://acme-corp.org/': 'reference',
      },
    ],
    [
      "the site's home page is not the material",
      'It is available on your website at https://example.com and at https://example.com/post/9',
      { 'https://example.com/': 'reference', 'https://example.com/post/9': 'infringing' },
    ],
    [
      'a third-party link without context is a reference, a disk link without context is infringing',
      'Blah https://news-site.org/story and https://mega.nz/file/abc',
      { 'https://news-site.org/story': 'reference', 'https://mega.nz/file/abc': 'infringing' },
    ],
  ];
  it.each(cases)('%s', (_name, text, expected) => {
    expect(roles(text)).toEqual(expected);
  });

  it('unions structured fields with the text; original wins over infringing', () => {
    const links = sortLinks(
      {
        text: 'Infringing: https://EXAMPLE.com/a#x and https://example.com/own',
        infringingUrls: ['https://example.com/a', 'javascript:alert(1)', 'data:text/html,x', ' '],
        workUrl: 'https://example.com/own',
      },
      opts,
    );
    expect(links.map((l) => [l.url, l.role, l.classification])).toEqual([
      ['https://example.com/own', 'original', 'internal'],
      ['https://example.com/a', 'infringing', 'internal'],
      ['javascript:alert(1)', 'infringing', 'invalid'],
      ['data:text/html,x', 'infringing', 'invalid'],
    ]);
    expect(links[1].raw).toBe('https://example.com/a');
  });

  it('keeps an invalid host as written and de-duplicates it on the normalised form', () => {
    const links = sortLinks(
      {
        infringingUrls: [
          'http://LOCALHOST./a',
          'http://localhost/a',
          'https://example.com/x',
          'https://EXAMPLE.com/x#f',
        ],
      },
      opts,
    );
    expect(links.map((l) => [l.url, l.raw, l.classification])).toEqual([
      ['http://LOCALHOST./a', 'http://LOCALHOST./a', 'invalid'],
      ['https://example.com/x', 'https://example.com/x', 'internal'],
    ]);
    expect(links[0].reason).toMatch(/no public suffix/);
    expect('reason' in links[1]).toBe(false);
  });
});

describe('sortLinks over many lines', () => {
  it('keeps a section in force over a million blank lines, and a bold question wrapped over lines a heading', () => {
    const blank = '\n'.repeat(1_000_000);
    const text = `Original work:${blank}https://author.org/book\n**Where is the\ninfringing material?**\nhttps://author.org/copy${blank}`;
    const sorted = sortLinks({ text }, opts);
    expect(sorted.map((l) => [l.url, l.role, l.roleReason])).toEqual([
      ['https://author.org/book', 'original', 'section: original work'],
      ['https://author.org/copy', 'infringing', 'section: infringing material'],
    ]);
  });
});

describe('sortLinks on a staging site domain', () => {
  it('sorts a bare link on a site domain without a public suffix as an infringing internal link', () => {
    const sorted = sortLinks(
      { text: 'Someone uploaded our game to your site at softhub.test/soft/123.html; we own the copyright.' },
      { siteDomains: ['softhub.test'], registry },
    );
    expect(sorted).toMatchObject([
      { url: 'http://softhub.test/soft/123.html', classification: 'internal', role: 'infringing' },
    ]);
  });
});
