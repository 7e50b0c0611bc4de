import * as fs from 'node:fs';
import * as path from 'node:path';
import { loadProviderRegistry, normalizeUrl, sortLinks } from './index';

// Real GitHub DMCA notices with hand labels, read in place (never copied into the project).
const CORPUS = path.resolve(__dirname, '../../../shared/corpus/github-dmca');

interface Label {
  file: string;
  kind: string;
  infringing_urls: string[];
}

const key = (u: string) => {
  const n = normalizeUrl(u);
  return n.ok ? n.url : u.trim();
};

const describeIfCorpus = fs.existsSync(path.join(CORPUS, 'labels.jsonl')) ? describe : describe.skip;

describeIfCorpus('corpus: github-dmca infringing URLs', () => {
  const labels: Label[] = fs
    .readFileSync(path.join(CORPUS, 'labels.jsonl'), 'utf8')
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l) as Label)
    .filter((l) => l.kind === 'takedown');
  const opts = { siteDomains: ['github.com', 'github.io', 'githubusercontent.com'], registry: loadProviderRegistry() };

  it('finds the labelled infringing URLs (recall ≥ 97%, precision ≥ 97%)', () => {
    let tp = 0;
    let fp = 0;
    let fn = 0;
    const rows: string[] = [];
    const misses: string[] = [];
    for (const label of labels) {
      const text = fs.readFileSync(path.join(CORPUS, label.file), 'utf8');
      const got = new Set(
        sortLinks({ text }, opts)
          .filter((l) => l.role === 'infringing')
          .map((l) => key(l.raw)),
      );
      const want = new Set(label.infringing_urls.map(key));
      let t = 0;
      for (const u of got) {
        if (want.has(u)) t++;
        else misses.push(`FP ${label.file} ${u}`);
      }
      for (const u of want) if (!got.has(u)) misses.push(`FN ${label.file} ${u}`);
      tp += t;
      fp += got.size - t;
      fn += want.size - t;
      if (got.size !== t || want.size !== t)
        rows.push(
          `${label.file.padEnd(52)} ${String(want.size).padStart(5)} ${String(t).padStart(5)} ${String(got.size - t).padStart(5)}`,
        );
    }
    const precision = tp / (tp + fp);
    const recall = tp / (tp + fn);
    console.log(
      [
        `github-dmca: ${labels.length} takedowns, ${tp + fn} labelled infringing URLs`,
        `precision ${(precision * 100).toFixed(1)}%  recall ${(recall * 100).toFixed(1)}%  (tp ${tp}, fp ${fp}, fn ${fn})`,
        rows.length
          ? `${'notice with errors'.padEnd(52)} label    tp    fp\n${rows.join('\n')}`
          : 'no notice with errors',
        ...misses,
      ].join('\n'),
    );
    expect(recall).toBeGreaterThanOrEqual(0.97);
    expect(precision).toBeGreaterThanOrEqual(0.97);
  });

  it('sorts every notice in the corpus, each link once', () => {
    const texts = fs
      .readdirSync(path.join(CORPUS, 'notices'))
      .map((f) => fs.readFileSync(path.join(CORPUS, 'notices', f), 'utf8'));
    for (const t of texts) {
      const urls = sortLinks({ text: t }, opts).map((l) => l.url);
      expect(new Set(urls).size).toBe(urls.length);
    }
  });
});
