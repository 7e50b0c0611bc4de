import { extractUrls } from './index';

describe('extractUrls', () => {
  const cases: Array<[string, string, string[]]> = [
    ['plain', 'see https://example.com/a and http://example.org/b.', ['https://example.com/a', 'http://example.org/b']],
    ['uppercase scheme', 'HTTPS://EXAMPLE.COM/X', ['HTTPS://EXAMPLE.COM/X']],
    ['www without scheme', 'go to www.example.com/x, then', ['www.example.com/x']],
    ['www host only', 'visit www.example.com.', ['www.example.com']],
    ['bare domain with path', 'at example.com/path/file.zip!', ['example.com/path/file.zip']],
    [
      'bare disk link',
      'grab it: drive.google.com/file/d/1AbC/view?usp=sharing',
      ['drive.google.com/file/d/1AbC/view?usp=sharing'],
    ],
    ['no false positives', 'e.g. Node.js, file.txt, README.md, Example.com and i.e. v1.2.3', []],
    ['not inside paths or e-mails', 'owner/qrolik.com/www/x and bob@example.com/x', []],
    ['angle brackets', 'here <https://example.com/a?b=1> ok', ['https://example.com/a?b=1']],
    ['markdown link', '[the copy](https://example.com/copy "title")', ['https://example.com/copy']],
    ['markdown with URL as text', '[https://example.com/x](https://example.com/x)', ['https://example.com/x']],
    ['markdown autolink', 'see <https://example.com/auto>.', ['https://example.com/auto']],
    ['double quotes', 'the page "https://example.com/q" is', ['https://example.com/q']],
    ['single quotes', "the page 'https://example.com/q' is", ['https://example.com/q']],
    [
      'apostrophe inside',
      "https://example.com/Assassin's%20Creed.pdf.",
      ["https://example.com/Assassin's%20Creed.pdf"],
    ],
    [
      'balanced parenthesis kept',
      'see https://en.wikipedia.org/wiki/Foo_(bar).',
      ['https://en.wikipedia.org/wiki/Foo_(bar)'],
    ],
    ['unbalanced parenthesis trimmed', '(see https://example.com/x)', ['https://example.com/x']],
    [
      'trailing punctuation',
      'https://example.com/a?!;: https://example.com/b", https://example.com/c]',
      ['https://example.com/a', 'https://example.com/b', 'https://example.com/c'],
    ],
    ['markdown bold', '**https://example.com/bold**', ['https://example.com/bold']],
    [
      'CRLF',
      'one https://example.com/1\r\ntwo https://example.com/2\r\n',
      ['https://example.com/1', 'https://example.com/2'],
    ],
    ['non-breaking space', 'a\u00a0https://example.com/nb\u00a0b', ['https://example.com/nb']],
    ['CJK punctuation', '请访问https://example.com/a，谢谢。', ['https://example.com/a']],
    ['placeholders are not URLs', '[invalid] [private] https://github.com/[private]/x', []],
    [
      'duplicates once, in order',
      'https://b.com/1 https://a.com/1 https://b.com/1',
      ['https://b.com/1', 'https://a.com/1'],
    ],
    ['IPv6 literal', 'http://[2001:4860::8888]/x', ['http://[2001:4860::8888]/x']],
    [
      'hard-wrapped after a slash',
      'https://github.com/marpontes/pentaho480ptbr/tree/master/biserver-ee/tomcat/\nwebapps/pentaho/WEB-INF/lib\n',
      ['https://github.com/marpontes/pentaho480ptbr/tree/master/biserver-ee/tomcat/webapps/pentaho/WEB-INF/lib'],
    ],
    [
      'hard-wrapped before a hyphen',
      'https://gith.com/marpontes/pentaho480ptbr/tree/master/biserver-ee/pentaho\r\n-solutions/system/analyzer\r\n',
      ['https://gith.com/marpontes/pentaho480ptbr/tree/master/biserver-ee/pentaho-solutions/system/analyzer'],
    ],
    [
      'hard-wrapped mid-word inside angle brackets',
      '<https://github.com/marpontes/pentaho480ptbr/tree/master/jar_sandbox/pentah\no-dashboard-4.8.0-GA-obf>',
      ['https://github.com/marpontes/pentaho480ptbr/tree/master/jar_sandbox/pentaho-dashboard-4.8.0-GA-obf'],
    ],
    ['a short line is not wrapped', 'https://example.com/a\nnext/line here', ['https://example.com/a']],
    [
      'list items are not joined',
      '- https://github.com/Andal-Mariappan/Angular-Material-Template-Something\n- https://github.com/b/c',
      ['https://github.com/Andal-Mariappan/Angular-Material-Template-Something', 'https://github.com/b/c'],
    ],
    [
      'a sentence after a long URL is not joined',
      'https://github.com/chester39/iOS-Projects/tree/master/CCTomCat/CCTomCat/Animations\nAll 11 subfolders contain infringing material.',
      ['https://github.com/chester39/iOS-Projects/tree/master/CCTomCat/CCTomCat/Animations'],
    ],
    [
      'file name run into the next word',
      'File https://example.com/rules.pdfcontains the terms',
      ['https://example.com/rules.pdf'],
    ],
    ['bower.json is not split', 'https://example.com/bower.json', ['https://example.com/bower.json']],
    ['ftp is extracted (and later classified invalid)', 'ftp://example.com/f', ['ftp://example.com/f']],
  ];
  it.each(cases)('%s', (_name, text, expected) => {
    expect(extractUrls(text)).toEqual(expected);
  });

  // Speed is measured by `npm run bench`, not asserted here: these machines are shared and noisy.
  it('extracts all 20,000 URLs from 1 MB of text', () => {
    const parts: string[] = [];
    for (let i = 0; i < 10_000; i++) {
      parts.push(
        `Item ${i}: the copy at https://example.com/files/${i}/name_${i}.zip (mirror www.mirror${i % 50}.net/x/${i}), e.g. Node.js.`,
      );
    }
    let text = parts.join('\n');
    text += ' filler'.repeat(Math.max(0, (1_000_000 - text.length) / 7));
    expect(text.length).toBeGreaterThanOrEqual(1_000_000);
    expect(extractUrls(text)).toHaveLength(20_000);
  });

  it.each([
    ['a long run of dots', 'a.'.repeat(50_000)],
    ['a long run of letters', 'a'.repeat(200_000)],
    ['a long URL-ish token', `https://example.com/${'(a'.repeat(50_000)}`],
    ['many hyphens', `${'a-'.repeat(50_000)}.com`],
  ])('finishes on %s (catastrophic backtracking would hit the test timeout)', (_name, text) => {
    expect(Array.isArray(extractUrls(text))).toBe(true);
  });
});

describe('extractUrls with site domains', () => {
  const text =
    'Someone uploaded our game to your site at softhub.test/soft/123.html and dl.downloads.internal/f/9.zip; ' +
    'also see notes.txt, softhub.test alone, evilsofthub.test/x and softhub.test.evil/x.';

  it('finds bare links on the site even without a public suffix', () => {
    expect(extractUrls(text, ['softhub.test', 'downloads.internal'])).toEqual([
      'softhub.test/soft/123.html',
      'dl.downloads.internal/f/9.zip',
    ]);
  });

  it('leaves them out without the site domains, as before', () => {
    expect(extractUrls(text)).toEqual([]);
  });
});

describe('extractUrls in Chinese text', () => {
  it.each([
    ['链接：https://pan.baidu.com/s/1AbCdEf?pwd=x1y2提取码：x1y2', ['https://pan.baidu.com/s/1AbCdEf?pwd=x1y2']],
    ['网盘地址https://pan.quark.cn/s/a1b2c3d4，请删除', ['https://pan.quark.cn/s/a1b2c3d4']],
    [
      '盗版在https://softhub.test/soft/123.html和https://www.lanzoui.com/i1a2b3c4d5e上',
      ['https://softhub.test/soft/123.html', 'https://www.lanzoui.com/i1a2b3c4d5e'],
    ],
    ['见 https://pan.xunlei.com/s/VNa1B2c3。谢谢', ['https://pan.xunlei.com/s/VNa1B2c3']],
    ['(https://cloud.189.cn/t/Ab12Cd34)链接', ['https://cloud.189.cn/t/Ab12Cd34']],
    ['参考 https://zh.wikipedia.org/wiki/著作权 一文', ['https://zh.wikipedia.org/wiki/著作权']],
    ['https://例子.中国/页面 是原作', ['https://例子.中国/页面']],
    ['https://example.com/search?q=盗版 x', ['https://example.com/search?q=盗版']],
  ])('%s', (text, expected) => {
    expect(extractUrls(text, ['softhub.test'])).toEqual(expected);
  });
});
