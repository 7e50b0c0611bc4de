import { createProviderRegistry } from './provider-registry';
import { MAX_URL_LENGTH, classifyUrl, normalizeUrl, type LinkClassification } from './index';
import { normalizeUrlParts } from './link-classifier';

const registry = createProviderRegistry([
  { id: 'mega', name: 'MEGA', domains: ['mega.nz'], copyright: { email: 'copyright@mega.nz' }, verified: false },
  {
    id: 'gdrive',
    name: 'Google Drive',
    domains: ['drive.google.com'],
    copyright: { webForm: 'https://x.test/f' },
    verified: false,
  },
]);
const opts = { siteDomains: ['example.com', 'example-downloads.net'], registry };

describe('classifyUrl', () => {
  const cases: Array<[string, LinkClassification, (string | null)?]> = [
    ['https://example.com/a', 'internal'],
    ['HTTPS://EXAMPLE.COM', 'internal'],
    ['hTtP://Www.Example.Com/Path?Q=1', 'internal'],
    ['https://WWW.EXAMPLE.COM./x', 'internal'],
    ['https://cdn.files.example-downloads.net/f.zip', 'internal'],
    ['https://example.com:8443/x', 'internal'],
    ['example.com/path', 'internal'],
    ['//example.com/x', 'internal'],
    ['https://exa\tmple.com/x', 'internal'], // WHATWG drops tabs and newlines inside a URL
    ['https://example.com/a\nb', 'internal'],
    ['https://%65xample.com/', 'internal'], // percent-encoded host decodes to example.com
    // hostile look-alikes
    ['https://example.com.evil.net/', 'external_other'],
    ['https://evil.net/example.com', 'external_other'],
    ['https://example.com@evil.net/', 'external_other'],
    ['https://user:pw@example.com.evil.net/', 'external_other'],
    ['https://evil.net\\@example.com', 'external_other'], // backslash is a path separator for http(s)
    ['https://example.com%2eevil.net/', 'external_other'],
    ['https://xn--exmple-cua.com/', 'external_other'],
    ['https://exаmple.com/', 'external_other'], // Cyrillic "а"
    ['https://еxample.com/', 'external_other'], // Cyrillic "е"
    ['https://notexample.com/', 'external_other'],
    ['https://example.co/', 'external_other'],
    ['https://example.com-evil.net/', 'external_other'],
    ['https://evil.net?u=https://example.com', 'external_other'],
    // disks
    ['https://mega.nz/file/abc#key', 'external_disk', 'mega'],
    ['https://MEGA.NZ/folder/x', 'external_disk', 'mega'],
    ['https://drive.google.com/file/d/1/view', 'external_disk', 'gdrive'],
    ['https://www.google.com/search?q=x', 'external_other'],
    ['https://mega.nz.evil.net/x', 'external_other'],
    // IPs
    ['http://8.8.8.8/x', 'external_other'],
    ['http://[2606:4700:4700::1111]/', 'external_other'],
    ['http://127.0.0.1/', 'invalid'],
    ['http://0x7f.1/', 'invalid'],
    ['http://2130706433/', 'invalid'],
    ['http://017700000001/', 'invalid'],
    ['http://10.0.0.1/', 'invalid'],
    ['http://172.20.1.1/', 'invalid'],
    ['http://192.168.1.1:8080/', 'invalid'],
    ['http://169.254.169.254/latest/meta-data', 'invalid'],
    ['http://0.0.0.0/', 'invalid'],
    ['http://100.64.0.1/', 'invalid'],
    ['http://[::1]/', 'invalid'],
    ['http://[::]/', 'invalid'],
    ['http://[fe80::1]/', 'invalid'],
    ['http://[fd00::1]/', 'invalid'],
    ['http://[::ffff:10.0.0.1]/', 'invalid'],
    ['http://[::ffff:127.0.0.1]/', 'invalid'],
    ['http://[::ffff:8.8.8.8]/', 'external_other'],
    // hosts without a public suffix
    ['http://localhost/', 'invalid'],
    ['http://localhost:3000/x', 'invalid'],
    ['http://intranet/x', 'invalid'],
    ['https://github.c/x', 'invalid'],
    ['https://example.local/', 'invalid'],
    // schemes and junk
    ['javascript:alert(1)', 'invalid'],
    ['JavaScript:alert(1)', 'invalid'],
    ['data:text/html,<script>alert(1)</script>', 'invalid'],
    ['vbscript:msgbox(1)', 'invalid'],
    ['ftp://example.com/file', 'invalid'],
    ['mailto:a@example.com', 'invalid'],
    ['file:///etc/passwd', 'invalid'],
    ['https://', 'invalid'],
    ['http://exa mple.com/', 'invalid'],
    ['', 'invalid'],
    [`https://example.com/${'a'.repeat(MAX_URL_LENGTH)}`, 'invalid'],
  ];
  it.each(cases)('%s → %s', (raw, classification, provider = null) => {
    const got = classifyUrl(raw, opts);
    expect(got.classification).toBe(classification);
    expect(got.provider).toBe(provider);
    if (classification === 'invalid') {
      expect(got.reason).toBeTruthy();
      expect(got.url).toBe(raw.trim());
    }
  });

  describe('site domains without a public suffix', () => {
    const staging = { siteDomains: ['softhub.test', 'downloads.internal', 'intranet', 'bücher.example'], registry };
    const table: Array<[string, LinkClassification]> = [
      ['https://softhub.test/soft/123.html', 'internal'],
      ['http://SOFTHUB.TEST./soft/1', 'internal'],
      ['https://dl.cdn.softhub.test/f.zip', 'internal'],
      ['softhub.test/soft/9', 'internal'],
      ['//softhub.test/x', 'internal'],
      ['https://softhub.test:8443/x', 'internal'],
      ['https://user:pw@softhub.test/x', 'internal'],
      ['https://downloads.internal/d/7', 'internal'],
      ['https://mirror.downloads.internal/d/7', 'internal'],
      ['http://intranet/d/7', 'internal'],
      ['http://files.intranet/d/7', 'internal'],
      ['https://xn--bcher-kva.example/x', 'internal'],
      ['https://bücher.example/x', 'internal'],
      // look-alikes and path tricks stay out
      ['https://softhub.test.evil.net/x', 'external_other'],
      ['https://evil-softhub.test/x', 'invalid'],
      ['https://evilsofthub.test/x', 'invalid'],
      ['https://softhub.test@evil.net/x', 'external_other'],
      ['https://softhub.test:pw@evil.net/x', 'external_other'],
      ['https://evil.net/softhub.test/x', 'external_other'],
      ['https://evil.net/?next=https://softhub.test/', 'external_other'],
      ['https://evil.net#softhub.test', 'external_other'],
      ['https://evil.net\\@softhub.test/', 'external_other'],
      ['https://softhub.test%2eevil.net/', 'external_other'],
      ['https://softhub.test-evil.net/', 'external_other'],
      ['https://sпfthub.test/', 'invalid'], // Cyrillic "о": a different (punycode) host with no public suffix
      ['https://xn--sfthub-5ve.test/', 'invalid'],
      ['https://downloads.internal.evil.net/', 'external_other'],
      ['https://intranet.evil.net/', 'external_other'],
      ['https://bücher.example.evil.net/', 'external_other'],
      ['https://bucher.example/', 'invalid'],
      ['https://softhub.tes/', 'invalid'],
      ['http://localhost/', 'invalid'],
      // an IP literal is never a site host, even if it ends like one
      ['http://10.0.0.1/', 'invalid'],
    ];
    it.each(table)('%s → %s', (raw, classification) => {
      expect(classifyUrl(raw, staging).classification).toBe(classification);
    });

    it('does not let a site domain that looks like an IP make an address internal', () => {
      expect(classifyUrl('http://127.0.0.1/', { siteDomains: ['0.1'], registry }).classification).toBe('invalid');
    });
  });

  it('gives the reason for an invalid link', () => {
    expect(classifyUrl('javascript:alert(1)', opts).reason).toMatch(/scheme "javascript:"/);
    expect(classifyUrl('http://10.1.2.3/', opts).reason).toMatch(/private/);
    expect(classifyUrl('http://intranet/', opts).reason).toMatch(/public suffix/);
    expect(classifyUrl(`https://example.com/${'a'.repeat(3000)}`, opts).reason).toMatch(/longer than/);
  });

  it('accepts site domains written loosely', () => {
    const loose = { siteDomains: [' Example.COM. '], registry };
    expect(classifyUrl('https://www.example.com/', loose).classification).toBe('internal');
  });

  it('classifies 10,000 URLs with the per-host cache giving the same answers', () => {
    const urls = Array.from({ length: 10_000 }, (_, i) => `https://host${i % 500}.example${i % 7}.org/p/${i}`);
    const kinds = new Set(urls.map((u) => classifyUrl(u, opts).classification));
    expect([...kinds]).toEqual(['external_other']);
  });
});

describe('normalizeUrl', () => {
  const cases: Array<[string, string]> = [
    ['HTTPS://WWW.Example.COM:443/Path/?Q=A#frag', 'https://www.example.com/Path/?Q=A'],
    ['http://example.com:80', 'http://example.com/'],
    ['http://example.com:8080/x', 'http://example.com:8080/x'],
    ['www.example.com/x', 'http://www.example.com/x'],
    ['example.com:8080/x', 'http://example.com:8080/x'],
    ['https://example.com./x', 'https://example.com/x'],
    ['https://bücher.example/x', 'https://xn--bcher-kva.example/x'],
    ['https://example.com/a b', 'https://example.com/a%20b'],
    ['https://www.assetstore.unity3d.com/#!/content/57591', 'https://www.assetstore.unity3d.com/#!/content/57591'],
    ['  https://example.com/x  ', 'https://example.com/x'],
  ];
  it.each(cases)('%s → %s', (raw, url) => {
    expect(normalizeUrl(raw)).toEqual({ ok: true, url });
  });

  it.each(['javascript:alert(1)', 'mailto:x@example.com', 'http://', 'http://[::1'])('rejects %s', (raw) => {
    expect(normalizeUrl(raw).ok).toBe(false);
  });

  it.each([
    ['http://example.com/#', 'http://example.com/'],
    ['http://example.com/x?#', 'http://example.com/x?'],
    ['http://example.com/#/', 'http://example.com/#/'],
    ['\u00a0\ufeffhttp://example.com/\u0000', 'http://example.com/'],
  ])('%j → %s', (raw, url) => {
    expect(normalizeUrl(raw)).toEqual({ ok: true, url });
  });

  it('normalizeUrlParts also gives the parsed host', () => {
    expect(normalizeUrlParts('HTTPS://WWW.Example.COM.:443/x#y')).toEqual({
      ok: true,
      url: 'https://www.example.com/x',
      hostname: 'www.example.com',
    });
    expect(normalizeUrlParts('https://bücher.example/')).toEqual({
      ok: true,
      url: 'https://xn--bcher-kva.example/',
      hostname: 'xn--bcher-kva.example',
    });
    expect(normalizeUrlParts('ftp://x.org').ok).toBe(false);
  });
});
