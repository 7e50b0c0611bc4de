import { TAKEDOWN_ELEMENTS } from './checklist';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { type CliOutput, runCli } from './cli';

const CORPUS = path.resolve(__dirname, '../../shared/corpus/github-dmca/notices');

function capture(): CliOutput & { stdout: string; stderr: string } {
  const io = {
    stdout: '',
    stderr: '',
    out(line: string) {
      io.stdout += line;
    },
    err(line: string) {
      io.stderr += line;
    },
  };
  return io;
}

describe('npm run cli -- check-notice', () => {
  it('prints one JSON line per file with kind, elements and sorted links, without a database', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'check-notice-'));
    const file = path.join(dir, 'notice.txt');
    writeFileSync(
      file,
      [
        'I am the owner of the copyright in "Foo Editor", whose original is at https://foo-editor.com/.',
        'It is copied at https://downloads.mysite.org/d/12 and https://mega.nz/file/AbC and <https://pan.baidu.com/s/1xyz>.',
        'I have a good faith belief that use of the material is not authorized by the copyright owner, its agent, or the law.',
        'I swear, under penalty of perjury, that the information in this notification is accurate and that I am the copyright owner.',
        'Search term: Foo Editor',
        'Contact: jo@foo-editor.com',
        '',
        'Sincerely,',
        'Jo Bloggs',
      ].join('\n'),
    );
    const io = capture();
    const code = await runCli(['check-notice', '--site-domain', 'mysite.org', file], io);
    expect(code).toBe(0);
    const lines = io.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(lines).toHaveLength(1);
    const [mine] = lines;
    expect(mine.file).toBe(file);
    expect(mine.kind).toBe('takedown');
    for (const e of TAKEDOWN_ELEMENTS) {
      expect({ e, present: mine.elements[e].present }).toEqual({ e, present: true });
    }
    const byUrl = Object.fromEntries(mine.links.map((l: { url: string }) => [l.url, l]));
    expect(byUrl['https://downloads.mysite.org/d/12']).toMatchObject({
      classification: 'internal',
      role: 'infringing',
    });
    expect(byUrl['https://mega.nz/file/AbC']).toMatchObject({ classification: 'external_disk', provider: 'mega' });
    expect(byUrl['https://pan.baidu.com/s/1xyz']).toMatchObject({
      classification: 'external_disk',
      provider: 'baidu-netdisk',
    });
    expect(byUrl['https://foo-editor.com/']).toMatchObject({ role: 'original' });
  });

  it('sorts a real notice against the site domains given, one line per file', async () => {
    const io = capture();
    const files = ['2013-02-08-Railcraft.md', '2018-08-17-Odoo.md'].map((f) => path.join(CORPUS, f));
    expect(await runCli(['check-notice', '--site-domain', 'github.com', ...files], io)).toBe(0);
    const [railcraft, odoo] = io.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(railcraft.file).toBe(files[0]);
    expect(odoo.file).toBe(files[1]);
    expect(railcraft.kind).toBe('takedown');
    expect(railcraft.elements.perjury.present).toBe(true);
    expect(railcraft.links).toContainEqual({
      url: 'https://github.com/PlusPlusPack/PlusPlusPack/tree/master/mods/Railcraft',
      classification: 'internal',
      provider: null,
      role: 'infringing',
    });
  });

  it('names a file it cannot read and exits 1', async () => {
    const io = capture();
    expect(await runCli(['check-notice', '/nonexistent/notice.txt'], io)).toBe(1);
    expect(io.stderr).toContain('/nonexistent/notice.txt');
  });

  it('explains its usage when called wrongly', async () => {
    const io = capture();
    expect(await runCli(['check-notice'], io)).toBe(1);
    expect(io.stderr).toContain('check-notice needs at least one FILE');
    expect(await runCli(['frobnicate'], io)).toBe(1);
    expect(io.stderr).toContain('Unknown command "frobnicate"');
  });
});

describe('npm run cli -- privacy-request', () => {
  it('refuses an outcome language it does not offer before it opens the database', async () => {
    for (const args of [['--language', 'zh-TW'], ['--language']]) {
      const io = capture();
      expect(await runCli(['privacy-request', 'erasure', 'jo@example.org', '--reason', 'by post', ...args], io)).toBe(
        1,
      );
      expect(io.stderr).toContain('--language must be one of en, zh-Hans.');
    }
  });
});
