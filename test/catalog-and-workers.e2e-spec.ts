import type { INestApplicationContext } from '@nestjs/common';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import type { Client } from 'pg';
import { runCli } from '../src/cli';
import { TEST_DATABASE_URL, TEST_REDIS_URL } from './support/env';
import { completeNotice, createCatalogPage, postJson } from './support/factories';
import { db, drain, type RunningApi, startApi, startWorker, uniqueId, uniquePrefix, waitFor } from './support/harness';

jest.setTimeout(90_000);

const silent = { out: () => undefined, err: () => undefined };

describe('npm run cli -- import-catalog', () => {
  let client: Client;
  beforeAll(async () => {
    client = await db();
  });
  afterAll(async () => {
    await client?.end();
  });

  it('loads pages and downloads from CSV, and a second import changes nothing', async () => {
    const n = uniqueId();
    const dir = mkdtempSync(path.join(tmpdir(), 'catalog-'));
    const file = path.join(dir, 'catalog.csv');
    writeFileSync(
      file,
      [
        'slug,title,description,uploader_email,link_id,link_label,link_url',
        `tool-${n},"Tool, the ""best"" edition",A tool,up@example.net,${n},Windows,https://files.example-mirror.org/${n}.zip`,
        `tool-${n},"Tool, the ""best"" edition",A tool,up@example.net,${n + 1},Mirror,https://mega.nz/file/${n}#key`,
        '',
      ].join('\r\n'),
    );
    process.env.DATABASE_URL = TEST_DATABASE_URL;
    const out: string[] = [];
    const io = { out: (l: string) => out.push(l), err: (l: string) => out.push(l) };
    expect(await runCli(['import-catalog', file], io)).toBe(0);
    expect(await runCli(['import-catalog', file], io)).toBe(0);
    expect(out[0]).toContain('Imported 1 pages and 2 download links');
    const { rows } = await client.query(
      `SELECT p.title, l.id, l.label, l.target_url_normalized FROM download_links l JOIN software_pages p ON p.id = l.page_id
       WHERE p.slug = $1 ORDER BY l.id`,
      [`tool-${n}`],
    );
    expect(rows).toEqual([
      {
        title: 'Tool, the "best" edition',
        id: String(n),
        label: 'Windows',
        target_url_normalized: `https://files.example-mirror.org/${n}.zip`,
      },
      {
        title: 'Tool, the "best" edition',
        id: String(n + 1),
        label: 'Mirror',
        target_url_normalized: `https://mega.nz/file/${n}`,
      },
    ]);
  });

  it('says which entry is wrong and imports nothing', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'catalog-'));
    const file = path.join(dir, 'catalog.json');
    const slug = `ok-${uniqueId()}`;
    writeFileSync(
      file,
      JSON.stringify([
        { slug, title: 'Fine', links: [] },
        { slug: 'bad', title: 'Bad', links: [{ url: 'javascript:alert(1)' }] },
      ]),
    );
    const err: string[] = [];
    expect(await runCli(['import-catalog', file], { out: () => undefined, err: (l) => err.push(l) })).toBe(1);
    expect(err.join('')).toBe('Entry 2 (bad), link 1: url must be an absolute http(s) URL.\n');
    expect((await client.query(`SELECT 1 FROM software_pages WHERE slug = $1`, [slug])).rowCount).toBe(0);
    expect(await runCli(['import-catalog', path.join(dir, 'catalog.txt')], silent)).toBe(1);
  });
});

describe('two workers sweeping at once', () => {
  const prefix = uniquePrefix();
  let api: RunningApi;
  let workers: INestApplicationContext[];
  let client: Client;

  beforeAll(async () => {
    client = await db();
    api = await startApi({ QUEUE_PREFIX: prefix });
    workers = [
      await startWorker({ QUEUE_PREFIX: prefix, SWEEP_BATCH_SIZE: '20' }),
      await startWorker({ QUEUE_PREFIX: prefix, SWEEP_BATCH_SIZE: '20' }),
    ];
  });

  afterAll(async () => {
    await Promise.all((workers ?? []).map((w) => w.close()));
    await api?.close();
    await client?.end();
  });

  it('remove every link exactly once', async () => {
    const pages = await Promise.all(
      Array.from({ length: 10 }, () =>
        createCatalogPage(client, {
          targets: Array.from({ length: 15 }, (_, i) => `https://files.example-mirror.org/${uniqueId()}-${i}.zip`),
        }),
      ),
    );
    const urls = pages.flatMap((p) => p.downloads.map((d) => `https://example.com/d/${d.id}`));
    const res = await postJson(api.url, '/api/v1/notices', completeNotice(urls));
    expect(res.status).toBe(201);
    await drain(client, TEST_REDIS_URL, prefix, 40_000);
    await waitFor(
      'all 150 takedowns',
      async () => {
        const { rows } = await client.query(
          `SELECT count(*)::int AS n FROM takedowns WHERE case_id = $1 AND status = 'done'`,
          [res.body.caseId],
        );
        return rows[0].n === 150;
      },
      40_000,
    );
    const { rows } = await client.query(
      `SELECT coalesce(sum((detail->>'done')::int), 0)::int AS done FROM audit_events WHERE case_id = $1 AND action = 'takedowns.done'`,
      [res.body.caseId],
    );
    expect(rows[0].done).toBe(150);
    const live = await client.query(
      `SELECT count(*)::int AS n FROM download_links WHERE id = ANY($1::bigint[]) AND status = 'live'`,
      [pages.flatMap((p) => p.downloads.map((d) => d.id))],
    );
    expect(live.rows[0].n).toBe(0);
  });
});

describe('with TAKEDOWN_REQUIRE_APPROVAL', () => {
  const prefix = uniquePrefix();
  let api: RunningApi;
  let worker: INestApplicationContext;
  let client: Client;

  beforeAll(async () => {
    client = await db();
    const env = { QUEUE_PREFIX: prefix, TAKEDOWN_REQUIRE_APPROVAL: 'true', SWEEP_EVERY_SECONDS: '1' };
    api = await startApi(env);
    worker = await startWorker(env);
  });

  afterAll(async () => {
    await worker?.close();
    await api?.close();
    await client?.end();
  });

  it('holds takedowns for staff instead of removing links', async () => {
    const page = await createCatalogPage(client);
    const res = await postJson(
      api.url,
      '/api/v1/notices',
      completeNotice([`https://example.com/d/${page.downloads[0].id}`]),
    );
    expect(res.body.links.find((l: { role: string }) => l.role === 'infringing').action).toBe(
      'takedown_after_approval',
    );
    await drain(client, TEST_REDIS_URL, prefix);
    const kase = await waitFor('the case to be routed', async () => {
      const { rows } = await client.query(`SELECT status, routed_at FROM cases WHERE id = $1`, [res.body.caseId]);
      return rows[0].routed_at ? rows[0] : undefined;
    });
    expect(kase.status).toBe('in_review');
    const t = await client.query(`SELECT status, due_at FROM takedowns WHERE case_id = $1`, [res.body.caseId]);
    expect(t.rows).toEqual([{ status: 'awaiting_approval', due_at: null }]);
    expect((await fetch(`${api.url}/d/${page.downloads[0].id}`, { redirect: 'manual' })).status).toBe(302);

    // Approved from the command line (TriageService.approve, as the API), the worker removes the link.
    const out: string[] = [];
    expect(
      await runCli(['approve-takedowns', res.body.reference], { out: (l) => out.push(l), err: (l) => out.push(l) }),
    ).toBe(0);
    expect(out.join('')).toContain('Approved 1 link(s)');
    await waitFor('the approved takedown', async () => {
      const { rows } = await client.query(`SELECT status FROM takedowns WHERE case_id = $1`, [res.body.caseId]);
      return rows[0].status === 'done';
    });
    expect((await fetch(`${api.url}/d/${page.downloads[0].id}`, { redirect: 'manual' })).status).toBe(451);
  });
});
