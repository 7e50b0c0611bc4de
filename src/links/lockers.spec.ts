import { classifyUrl, loadProviderRegistry } from './index';

// File URLs in the shapes lockers hand out, written from the providers' share links (not from the github-dmca
// corpus): Russian and Eastern European lockers, small upload sites and the Chinese netdisks.
const registry = loadProviderRegistry();
const opts = { siteDomains: ['softhub.test', 'example.com'], registry };

const files: Array<[string, string]> = [
  ['https://turbobit.net/9ks2jd7a1c0x.html', 'turbobit'],
  ['https://turbobit.net/download/free/9ks2jd7a1c0x', 'turbobit'],
  ['https://hitfile.net/Ab3dE5f', 'hitfile'],
  ['https://hitfile.net/download/free/Ab3dE5f', 'hitfile'],
  ['https://katfile.com/x7k2m9q4r1t8/Setup_v2.1.rar.html', 'katfile'],
  ['https://nitroflare.com/view/3F2A1B0C9D8E7F6/game.part1.rar', 'nitroflare'],
  ['https://rapidgator.net/file/0b1c2d3e4f5a6b7c8d9e0f1a2b3c4d5e/app.zip.html', 'rapidgator'],
  ['https://rg.to/file/0b1c2d3e4f5a6b7c', 'rapidgator'],
  ['https://uploaded.net/file/ab12cd34', 'uploaded'],
  ['http://ul.to/ab12cd34', 'uploaded'],
  ['https://file.al/q1w2e3r4t5y6/Photoshop_2024.zip.html', 'file-al'],
  ['https://www.filefactory.com/file/4x5y6z7a8b9c/crack.rar', 'filefactory'],
  ['https://drop.download/a1b2c3d4e5f6', 'drop-download'],
  ['https://dropapk.to/a1b2c3d4e5f6', 'drop-download'],
  ['https://uptobox.com/a1b2c3d4e5f6', 'uptobox'],
  ['https://1fichier.com/?k3j2h1g0f9e8d7c6b5a4', '1fichier'],
  ['https://1fichier.com/dir/AbCdEf12', '1fichier'],
  ['https://ddownload.com/z9y8x7w6v5u4/Keygen.exe', 'ddownload'],
  ['https://mixdrop.co/f/3kq7wz1p9x', 'mixdrop'],
  ['https://mixdrop.to/e/3kq7wz1p9x', 'mixdrop'],
  ['https://www.upload.ee/files/15938472/setup.exe.html', 'upload-ee'],
  ['https://dbree.org/v/4f7a9c', 'dbree'],
  ['https://www.sendspace.com/file/k2v9q1', 'sendspace'],
  ['https://files.fm/u/a8s7d6f5g4', 'files-fm'],
  ['https://files.fm/f/q2w3e4r5t6', 'files-fm'],
  ['https://cloud.mail.ru/public/Ab1C/dE2fG3hI4', 'mail-ru-cloud'],
  ['https://disk.yandex.ru/d/Xy12Ab34Cd56Ef', 'yandex-disk'],
  ['https://disk.yandex.com/i/Xy12Ab34Cd56Ef', 'yandex-disk'],
  ['https://ge.tt/4Bc7dE9f', 'ge-tt'],
  ['https://www16.zippyshare.com/v/Ab1Cd2Ef/file.html', 'zippyshare'],
  ['https://workupload.com/file/aBcD1234eF', 'workupload'],
  ['https://gofile.io/d/Ab12Cd', 'gofile'],
  ['https://pixeldrain.com/u/aB3cD4eF', 'pixeldrain'],
  ['https://pixeldrain.com/api/file/aB3cD4eF?download', 'pixeldrain'],
  ['https://krakenfiles.com/view/a1B2c3D4e5/file.html', 'krakenfiles'],
  ['https://bayfiles.com/q1W2e3R4t5/setup_zip', 'anonfiles'],
  ['https://megaup.net/3kq7w/setup.rar', 'megaup'],
  ['https://usersdrive.com/a1b2c3d4e5f6.html', 'usersdrive'],
  ['https://clicknupload.org/a1b2c3d4e5f6', 'clicknupload'],
  ['https://clicknupload.click/a1b2c3d4e5f6/game.iso', 'clicknupload'],
  ['https://hexupload.net/a1b2c3d4e5f6', 'hexupload'],
  ['https://uploadhaven.com/download/0a1b2c3d4e5f6a7b8c9d0e1f2a3b4c5d', 'uploadhaven'],
  ['https://fastupload.io/aB1cD2eF3gH4', 'fastupload'],
  ['https://up-load.io/a1b2c3d4e5f6', 'up-load'],
  ['https://filerio.in/a1b2c3d4e5f6', 'filerio'],
  ['https://userscloud.com/a1b2c3d4e5f6', 'userscloud'],
  ['https://k2s.cc/file/a1b2c3d4e5f6a/app.zip', 'keep2share'],
  ['https://fboom.me/file/a1b2c3d4e5f6a/app.zip', 'keep2share'],
  ['https://depositfiles.com/files/ab12cd34e', 'depositfiles'],
  ['https://dfiles.eu/files/ab12cd34e', 'depositfiles'],
  ['https://uploadgig.com/file/download/Ab12Cd34Ef56Gh78/app.rar', 'uploadgig'],
  ['https://send.cm/a1b2c3d4e5f6', 'send-cm'],
  ['https://uloz.to/file/AbCd1234eFgH/setup-exe', 'uloz-to'],
  ['https://webshare.cz/#/file/2aB3cD4eF5/setup-exe', 'webshare-cz'],
  ['https://chomikuj.pl/someuser/Programy/Setup+2024,7654321.exe', 'chomikuj'],
  ['https://fex.net/s/a1b2c3', 'fex-net'],
  ['https://dropmefiles.com/Ab3dE', 'dropmefiles'],
  ['https://multiup.org/download/0a1b2c3d4e5f6a7b8c9d0e1f2a3b4c5d/app.zip', 'multiup'],
  ['https://www.solidfiles.com/v/aB1cD2eF3g', 'solidfiles'],
  ['https://ufile.io/a1b2c3d4', 'ufile'],
  ['https://www.filemail.com/d/abcdefghijklmno', 'filemail'],
  ['https://tmpfiles.org/dl/1234567/app.zip', 'tmpfiles'],
  ['https://files.catbox.moe/a1b2c3.zip', 'catbox'],
  ['https://litterbox.catbox.moe/a1b2c3.zip', 'catbox'],
  ['https://a.uguu.se/AbC12dEf.zip', 'uguu'],
  ['https://0x0.st/Hk3x.zip', '0x0'],
  ['https://buzzheavier.com/a1b2c3d4e5f6', 'buzzheavier'],
  ['https://qiwi.gg/file/Ab12-app-zip', 'qiwi'],
  ['https://transfer.sh/Ab1Cd2/app.zip', 'transfer-sh'],
  ['https://wetransfer.com/downloads/0a1b2c3d4e5f6a7b8c9d0e1f2a3b4c5d20261201/9f8e7d', 'wetransfer'],
  // the Chinese netdisks
  ['https://pan.baidu.com/s/1a2B3c4D5e6F7g8H9i0J?pwd=ab12', 'baidu-netdisk'],
  ['https://pan.baidu.com/share/init?surl=a2B3c4D5e6F7g8H9', 'baidu-netdisk'],
  ['https://www.aliyundrive.com/s/Ab1Cd2Ef3Gh', 'aliyun-drive'],
  ['https://www.alipan.com/s/Ab1Cd2Ef3Gh', 'aliyun-drive'],
  ['https://www.alipan.com/t/Ab1Cd2Ef3Gh', 'aliyun-drive'],
  ['https://pan.quark.cn/s/a1b2c3d4e5f6', 'quark'],
  ['https://wwi.lanzoui.com/i1a2b3c4d5e', 'lanzou'],
  ['https://wwu.lanzouq.com/b0a1b2c3d', 'lanzou'],
  ['https://xxx.lanzn.com/iAb12Cd34', 'lanzou'],
  ['https://cloud.189.cn/t/Ab12Cd34Ef56', 'tianyi-cloud'],
  ['https://cloud.189.cn/web/share?code=Ab12Cd34Ef56', 'tianyi-cloud'],
  ['https://h5.cloud.189.cn/share.html#/t/Ab12Cd34Ef56', 'tianyi-cloud'],
  ['https://www.123pan.com/s/Ab12-cD34e', '123pan'],
  ['https://www.123684.com/s/Ab12-cD34e', '123pan'],
  ['https://url89.ctfile.com/f/12345678-987654321-abcdef', 'ctfile'],
  ['https://u062.com/file/12345678-987654321', 'ctfile'],
  ['https://115.com/s/sw1a2b3c4d5?password=ab12', '115'],
  ['https://115cdn.com/s/sw1a2b3c4d5', '115'],
  ['https://share.weiyun.com/Ab12Cd34', 'weiyun'],
  ['https://pan.xunlei.com/s/VNa1B2c3D4e5F6g7?pwd=ab12', 'xunlei-pan'],
  ['https://caiyun.139.com/m/i?0a1B2c3D4e5F6', 'caiyun'],
  ['https://yun.139.com/link/w/i/0a1B2c3D4e5F6', 'caiyun'],
  ['https://drive.uc.cn/s/a1b2c3d4e5f6', 'uc-drive'],
  ['https://www.terabox.com/sharing/link?surl=a1B2c3D4e5', 'terabox'],
  // the long-listed ones, in shapes other than the provider spec's
  ['https://mega.nz/#!Ab12Cd34!key', 'mega'],
  ['https://mega.nz/#F!Ab12Cd34!key', 'mega'],
  ['https://www.mediafire.com/?a1b2c3d4e5f6g7h', 'mediafire'],
  ['https://www.mediafire.com/download/a1b2c3d4e5f6g7h/app.zip', 'mediafire'],
  ['https://drive.google.com/drive/folders/1AbC2dEf3GhI4jKl', 'google-drive'],
  ['https://drive.google.com/open?id=1AbC2dEf3GhI4jKl', 'google-drive'],
  ['https://www.dropbox.com/scl/fi/a1b2c3/app.zip?rlkey=x&dl=0', 'dropbox'],
  ['https://onedrive.live.com/?cid=ABC123&id=ABC123%21105&authkey=%21AbC', 'onedrive'],
];

describe('file lockers: share links are disks', () => {
  it('has at least 45 file URLs over at least 40 providers', () => {
    expect(files.length).toBeGreaterThanOrEqual(45);
    expect(new Set(files.map(([, id]) => id)).size).toBeGreaterThanOrEqual(40);
  });

  it.each(files)('%s → external_disk (%s)', (url, id) => {
    expect(classifyUrl(url, opts)).toMatchObject({ classification: 'external_disk', provider: id });
  });
});

// A locker's own pages name no file: nothing to refer. Other pages of lockers, in shapes no list foresaw, are
// still taken for files (see `matchUrl`).
const pages: string[] = [
  'https://turbobit.net/',
  'https://turbobit.net/premium.html',
  'https://turbobit.net/faq',
  'https://hitfile.net/registration',
  'https://rapidgator.net/article/premium',
  'https://rapidgator.net/',
  'https://nitroflare.com/payment',
  'https://katfile.com/premium.html',
  'https://katfile.com/?op=registration',
  'https://1fichier.com/',
  'https://1fichier.com/?lg=en',
  'https://1fichier.com/abus.html',
  'https://1fichier.com/cgu.html',
  'https://mega.nz/',
  'https://mega.io/pricing',
  'https://help.mega.io/files-folders',
  'https://www.dropbox.com/',
  'https://www.dropbox.com/plans',
  'https://help.dropbox.com/share/create-and-view-links',
  'https://www.dropbox.com/?_hp=c',
  'https://www.mediafire.com/',
  'https://www.mediafire.com/upgrade/',
  'https://www.mediafire.com/policies/dmca.php',
  'https://drive.google.com/',
  'https://drive.google.com/drive/my-drive',
  'https://pixeldrain.com/',
  'https://pixeldrain.com/abuse',
  'https://pixeldrain.com/api',
  'https://gofile.io/',
  'https://gofile.io/contact',
  'https://www.sendspace.com/dmca.html',
  'https://pan.baidu.com/',
  'https://pan.baidu.com/disk/home',
  'https://www.aliyundrive.com/',
  'https://pan.quark.cn/',
  'https://www.lanzou.com/',
  'https://www.lanzou.com/help',
  'https://cloud.189.cn/',
  'https://www.123pan.com/',
  'https://115.com/',
  'https://www.ctfile.com/',
  'https://disk.yandex.ru/',
  'https://disk.yandex.ru/client/disk',
  'https://cloud.mail.ru/',
  'https://uploadhaven.com/login',
  'https://k2s.cc/page/dmca.html',
  'https://files.fm/',
  'https://files.fm/pricing',
  'https://www.upload.ee/',
  'https://upload.ee/terms.html',
  'https://files.catbox.moe/',
  'https://catbox.moe/faq.php',
  'https://status.wetransfer.com/',
  'https://blog.pcloud.com/x',
];

describe("file lockers: a locker's own pages are not files", () => {
  it.each(pages)('%s → external_other', (url) => {
    const got = classifyUrl(url, opts);
    expect(got).toMatchObject({ classification: 'external_other', provider: null });
    expect(got.reason).toMatch(/own page, not a shared file/);
  });

  it('still refers a path at a locker that no shape foresaw', () => {
    expect(classifyUrl('https://rapidgator.net/x9/new-shape', opts)).toMatchObject({
      classification: 'external_disk',
      provider: 'rapidgator',
    });
  });

  it('refuses look-alike locker hosts', () => {
    for (const url of [
      'https://pan.baidu.com.evil.net/s/1abc',
      'https://evil-mega.nz/file/abc',
      'https://evil.net/pan.baidu.com/s/1abc',
      'https://mega.nz@evil.net/file/abc',
      'https://xn--mga-bla.nz/file/abc',
    ]) {
      expect(classifyUrl(url, opts).provider).toBeNull();
    }
  });

  it('keeps the site itself internal even on a locker-like path', () => {
    expect(classifyUrl('https://softhub.test/s/1abc', opts).classification).toBe('internal');
  });
});
