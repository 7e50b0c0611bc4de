import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { classifyUrl, createProviderRegistry, loadProviderRegistry, ProviderRegistryError } from './index';

describe('provider registry (providers.json)', () => {
  const registry = loadProviderRegistry();
  const opts = { siteDomains: ['example.com'], registry };

  it('loads at least 100 providers, each with a copyright channel or a note saying none is known', () => {
    expect(registry.providers.length).toBeGreaterThanOrEqual(100);
    for (const p of registry.providers) {
      if (!p.copyright.email && !p.copyright.webForm) expect(p.note).toMatch(/no public copyright channel/);
      if (!p.verified) expect(p.note).toMatch(/not verified/);
      expect(p.files.length).toBeGreaterThan(0);
    }
  });

  it('loads the same file when given its path', () => {
    expect(loadProviderRegistry(path.join(__dirname, 'providers.json')).providers).toHaveLength(
      registry.providers.length,
    );
  });

  const samples: Array<[string, string]> = [
    ['https://drive.google.com/file/d/1AbC/view', 'google-drive'],
    ['https://docs.google.com/uc?id=1AbC&export=download', 'google-drive'],
    ['https://drive.usercontent.google.com/download?id=1', 'google-drive'],
    ['https://www.dropbox.com/s/abc/file.zip?dl=0', 'dropbox'],
    ['https://dl.dropboxusercontent.com/s/abc/file.zip', 'dropbox'],
    ['https://1drv.ms/u/s!abc', 'onedrive'],
    ['https://contoso-my.sharepoint.com/:u:/g/personal/x', 'onedrive'],
    ['https://mega.nz/file/abc#key', 'mega'],
    ['https://mega.co.nz/#!abc', 'mega'],
    ['https://www.mediafire.com/file/abc/x.zip/file', 'mediafire'],
    ['https://app.box.com/s/abc', 'box'],
    ['https://u.pcloud.link/publink/show?code=x', 'pcloud'],
    ['https://www.icloud.com/iclouddrive/0abc', 'icloud-drive'],
    ['https://we.tl/t-abc', 'wetransfer'],
    ['https://www.4shared.com/file/abc', '4shared'],
    ['https://www.terabox.com/s/1abc', 'terabox'],
    ['https://www.1024terabox.com/s/1abc', 'terabox'],
    ['https://pan.baidu.com/s/1abc?pwd=x', 'baidu-netdisk'],
    ['https://www.aliyundrive.com/s/abc', 'aliyun-drive'],
    ['https://www.alipan.com/s/abc', 'aliyun-drive'],
    ['https://pan.quark.cn/s/abc', 'quark'],
    ['https://wwi.lanzoux.com/iabc', 'lanzou'],
    ['https://www.lanzouw.com/iabc', 'lanzou'],
    ['https://www.123pan.com/s/abc', '123pan'],
    ['https://115.com/s/abc', '115'],
    ['https://share.weiyun.com/abc', 'weiyun'],
    ['https://url65.ctfile.com/f/abc', 'ctfile'],
    ['https://disk.yandex.ru/d/abc', 'yandex-disk'],
    ['https://yadi.sk/d/abc', 'yandex-disk'],
    ['https://www48.zippyshare.com/v/abc/file.html', 'zippyshare'],
    ['https://rapidgator.net/file/abc', 'rapidgator'],
    ['https://nitroflare.com/view/abc', 'nitroflare'],
    ['https://gofile.io/d/abc', 'gofile'],
    ['https://pixeldrain.com/u/abc', 'pixeldrain'],
    ['https://files.catbox.moe/abc.zip', 'catbox'],
    ['https://krakenfiles.com/view/abc/file.html', 'krakenfiles'],
    ['https://www.jianguoyun.com/p/abc', 'jianguoyun'],
    ['https://cloud.189.cn/t/abc', 'tianyi-cloud'],
    ['https://pan.xunlei.com/s/abc', 'xunlei-pan'],
    ['https://1fichier.com/?abc', '1fichier'],
  ];
  it.each(samples)('%s → %s', (url, id) => {
    expect(classifyUrl(url, opts)).toMatchObject({ classification: 'external_disk', provider: id });
    expect(registry.byId(id)?.id).toBe(id);
  });

  it.each([
    'https://www.google.com/search?q=mega',
    'https://google.com/',
    'https://mail.google.com/mail/u/0',
    'https://www.baidu.com/s?wd=x',
    'https://yandex.ru/search',
    'https://proton.me/mail',
    'https://www.microsoft.com/',
    'https://drive.google.com.evil.net/file',
    'https://notmega.nz/x',
  ])('%s is not a disk', (url) => {
    expect(classifyUrl(url, opts).classification).toBe('external_other');
  });

  it('matches hosts case-insensitively and with a trailing dot', () => {
    expect(registry.match('WWW.DROPBOX.COM.')?.id).toBe('dropbox');
    expect(registry.match('dropbox')).toBeUndefined();
  });

  describe('validation', () => {
    const ok = { id: 'x', name: 'X', domains: ['x.example'], copyright: { email: 'c@x.example' }, verified: false };
    const bad: Array<[string, unknown, RegExp]> = [
      ['duplicate id', [ok, { ...ok, domains: ['y.example'] }], /"x": duplicate id/],
      ['upper-case domain', [{ ...ok, domains: ['X.example'] }], /"x": domain "X.example" must be lower-case/],
      ['URL instead of domain', [{ ...ok, domains: ['https://x.example/'] }], /not a bare host name/],
      ['no channel', [{ ...ok, copyright: {} }], /"x": needs at least one copyright channel/],
      ['bad web form', [{ ...ok, copyright: { webForm: 'x.example/form' } }], /not an http\(s\) URL/],
      ['domain listed twice', [ok, { ...ok, id: 'y' }], /"y": domain x.example is already listed under "x"/],
      ['no verified flag', [{ ...ok, verified: undefined }], /verified must be/],
      ['no copyright key', [{ ...ok, copyright: undefined }], /copyright is required/],
      ['a null channel without a note', [{ ...ok, copyright: null }], /copyright: null needs a note/],
      ['a file shape that is not a regex', [{ ...ok, files: ['^/(x'] }], /"\^\/\(x" is not a regular expression/],
      ['a file shape not anchored at the path', [{ ...ok, files: ['/s/'] }], /must start with \^\//],
      ['files not a list', [{ ...ok, files: '^/s/' }], /files must be an array/],
      ['not a list', { nope: 1 }, /expected an array/],
    ];
    it.each(bad)('rejects %s, naming the entry', (_name, data, message) => {
      expect(() => createProviderRegistry(data, 'test.json')).toThrow(ProviderRegistryError);
      expect(() => createProviderRegistry(data, 'test.json')).toThrow(message);
    });

    it('takes copyright: null with a note saying no channel is known, as an empty channel', () => {
      const none = { ...ok, copyright: null, note: 'no public copyright channel known' };
      const r = createProviderRegistry([none], 'test.json');
      expect(r.byId('x')?.copyright).toEqual({});
      expect(r.byId('x')?.files).toEqual([]);
    });

    it('names the file when it cannot be parsed', () => {
      const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'providers-')), 'bad.json');
      fs.writeFileSync(file, '{ not json');
      expect(() => loadProviderRegistry(file)).toThrow(/cannot read provider registry .*bad\.json/);
    });
  });
});
