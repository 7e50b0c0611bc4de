import { TAKEDOWN_ELEMENTS } from '../src/checklist';
import type { CaseStatusView } from '../src/status/case-status.service';
import type { INestApplicationContext } from '@nestjs/common';
import type { Client } from 'pg';
import { TEST_REDIS_URL } from './support/env';
import { completeNotice, createCatalogPage, postJson } from './support/factories';
import { db, drain, type RunningApi, startApi, startWorker, uniqueId, uniquePrefix, waitFor } from './support/harness';
import { openedRows } from './support/sealed';

jest.setTimeout(60_000);

describe('case pipeline, through the API and the worker', () => {
  const prefix = uniquePrefix();
  let api: RunningApi;
  let worker: INestApplicationContext;
  let client: Client;

  beforeAll(async () => {
    client = await db();
    api = await startApi({ QUEUE_PREFIX: prefix });
    worker = await startWorker({ QUEUE_PREFIX: prefix });
  });

  afterAll(async () => {
    await worker?.close();
    await api?.close();
    await client?.end();
  });

  const count = async (sql: string, params: unknown[] = []): Promise<number> =>
    (await client.query(`SELECT count(*)::int AS n FROM ${sql}`, params)).rows[0].n;

  it('takes down our own download, refers the disk links, and answers 451 afterwards', async () => {
    const mirror = `https://mega.nz/file/${uniqueId()}`;
    const page = await createCatalogPage(client, {
      targets: [`https://files.example-mirror.org/${uniqueId()}.zip`, mirror],
    });
    const [ours, outbound] = page.downloads;
    const drive = `https://drive.google.com/file/d/${uniqueId()}/view`;

    const before = await fetch(`${api.url}/d/${ours.id}`, { redirect: 'manual' });
    expect(before.status).toBe(302);
    expect(before.headers.get('location')).toBe(ours.targetUrl);

    const res = await postJson(
      api.url,
      '/api/v1/notices',
      completeNotice([`https://example.com/d/${ours.id}`, mirror, drive]),
    );
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ kind: 'takedown', status: 'received', missing: [] });
    expect(res.body.reference).toMatch(/^DMCA-\d{4}-\d{6}$/);
    expect(res.body.statusUrl).toMatch(/\/status\/[A-Za-z0-9_-]{32}$/);
    for (const element of TAKEDOWN_ELEMENTS) {
      expect(res.body.checklist[element].present).toBe(true);
    }
    const byUrl = Object.fromEntries(res.body.links.map((l: { url: string }) => [l.url, l]));
    expect(byUrl[`https://example.com/d/${ours.id}`]).toMatchObject({
      classification: 'internal',
      role: 'infringing',
      action: 'takedown',
    });
    expect(byUrl[mirror]).toMatchObject({ classification: 'external_disk', provider: 'mega', action: 'referral' });
    expect(byUrl[drive]).toMatchObject({
      classification: 'external_disk',
      provider: 'google-drive',
      action: 'referral',
    });
    expect(byUrl['https://acme-software.com/studio']).toMatchObject({ role: 'original', action: 'none' });

    await drain(client, TEST_REDIS_URL, prefix);
    const caseId = res.body.caseId;
    await waitFor(
      'the takedowns to be done',
      async () => (await count(`takedowns WHERE case_id = $1 AND status = 'done'`, [caseId])) === 2 || undefined,
    );

    const after = await fetch(`${api.url}/d/${ours.id}`, { redirect: 'manual' });
    expect(after.status).toBe(451);
    expect(await after.text()).toContain(res.body.reference);
    // 512(d): our page's outbound link to the reported MEGA file is gone too.
    expect((await fetch(`${api.url}/d/${outbound.id}`, { redirect: 'manual' })).status).toBe(451);
    const pageHtml = await (await fetch(`${api.url}/software/${page.slug}`)).text();
    expect(pageHtml).not.toContain(`/d/${ours.id}`);
    expect(pageHtml).toContain('2 download(s) removed');

    const links = await client.query(`SELECT url, status FROM reported_links WHERE case_id = $1`, [caseId]);
    const status = Object.fromEntries(links.rows.map((r) => [r.url, r.status]));
    expect(status[`https://example.com/d/${ours.id}`]).toBe('taken_down');
    expect(status[drive]).toBe('referred');

    const referrals = await client.query(
      `SELECT provider, link_count FROM referrals WHERE case_id = $1 ORDER BY provider`,
      [caseId],
    );
    expect(referrals.rows).toEqual([
      { provider: 'google-drive', link_count: 1 },
      { provider: 'mega', link_count: 1 },
    ]);
    const letters = await client.query(`SELECT kind, recipient, subject, text FROM letters WHERE case_id = $1`, [
      caseId,
    ]);
    await openedRows(client, letters.rows, ['recipient', 'subject', 'text']);
    const referral = letters.rows.find((l) => l.kind === 'referral');
    expect(referral.recipient).toBe('jane@rights-holder.example.org');
    expect(referral.text).toContain('Google Drive');
    expect(referral.text).toContain(drive);
    expect(letters.rows.map((l) => l.kind).sort()).toEqual(['receipt', 'referral', 'takedown_done']);
    // Routing records the referral letter, then the receipt on the same thread, each once and audited.
    const thread = await client.query<{ kind: string; message_id: string; in_reply_to: string | null }>(
      `SELECT kind, message_id, in_reply_to FROM letters WHERE case_id = $1 AND kind IN ('referral', 'receipt')
       ORDER BY created_at, id`,
      [caseId],
    );
    expect(thread.rows.map((l) => l.kind)).toEqual(['referral', 'receipt']);
    expect(thread.rows[1].in_reply_to).toBe(thread.rows[0].message_id);
    const recorded = await client.query<{ kind: string }>(
      `SELECT detail->>'kind' AS kind FROM audit_events WHERE case_id = $1 AND action = 'letter.recorded' ORDER BY id`,
      [caseId],
    );
    expect(recorded.rows.map((r) => r.kind)).toEqual(['referral', 'receipt', 'takedown_done']);

    const view = (await (
      await fetch(`${api.url}/api/v1/status/${res.body.statusUrl.split('/').pop()}`)
    ).json()) as CaseStatusView;
    expect(view).toMatchObject({ reference: res.body.reference, status: 'actioned' });
    expect(view.searchMatches).toEqual([]);
  });

  it('keeps a deficient notice, marks it needs_info and records a deficiency letter naming what is missing', async () => {
    const id = uniqueId();
    const text = [
      'Dear Sir or Madam,',
      '',
      'Our company owns the copyright in the software "PixelForge Pro". The original is available at https://pixelforge.io/pro.',
      `An unauthorised copy is offered for download at https://example.com/d/${id}`,
      '',
      'Contact: legal@pixelforge.io, +1 415 555 0100',
    ].join('\n');
    const res = await postJson(api.url, '/api/v1/notices', { text });
    expect(res.status).toBe(201);
    expect(res.body.status).toBe('needs_info');
    expect(res.body.missing).toEqual(expect.arrayContaining(['good_faith', 'perjury', 'signature', 'search_term']));
    expect(res.body.links.find((l: { url: string }) => l.url === `https://example.com/d/${id}`).action).toBe(
      'held_until_complete',
    );

    await drain(client, TEST_REDIS_URL, prefix);
    const letter = await waitFor('the deficiency letter', async () => {
      const { rows } = await client.query(
        `SELECT recipient, subject, text, html FROM letters WHERE case_id = $1 AND kind = 'deficiency'`,
        [res.body.caseId],
      );
      return rows[0];
    });
    await openedRows(client, [letter], ['recipient', 'subject', 'text', 'html']);
    expect(letter.recipient).toBe('legal@pixelforge.io');
    expect(letter.subject).toContain(res.body.reference);
    expect(letter.text).toMatch(/good[- ]faith/i);
    expect(letter.text).toMatch(/perjury/i);
    expect(letter.text).toMatch(/signature/i);
    expect(await count(`takedowns WHERE case_id = $1`, [res.body.caseId])).toBe(0);
    const notice = await client.query(`SELECT raw_text, channel FROM notices WHERE case_id = $1`, [res.body.caseId]);
    await openedRows(client, notice.rows, ['raw_text']);
    expect(notice.rows[0]).toEqual({ raw_text: text, channel: 'api' });
  });

  it('lists the catalog pages that match the search terms', async () => {
    const title = `Zebra Renderer ${uniqueId()}`;
    const page = await createCatalogPage(client, { title });
    const res = await postJson(
      api.url,
      '/api/v1/notices',
      completeNotice([`https://example.com/d/${uniqueId()}`], {
        searchTerms: [title.split(' ').slice(0, 3).join(' ')],
      }),
    );
    await drain(client, TEST_REDIS_URL, prefix);
    const token = res.body.statusUrl.split('/').pop();
    const view = await waitFor('the case to be routed', async () => {
      const v = (await (await fetch(`${api.url}/api/v1/status/${token}`)).json()) as CaseStatusView;
      return v.searchMatches.length > 0 ? v : undefined;
    });
    expect(view.searchMatches).toEqual([expect.objectContaining({ slug: page.slug, title })]);
  });

  it('returns the first answer for a repeated Idempotency-Key and refuses the key with another body', async () => {
    const key = `retry-${uniqueId()}`;
    const body = completeNotice([`https://example.com/d/${uniqueId()}`]);
    const first = await postJson(api.url, '/api/v1/notices', body, { 'Idempotency-Key': key });
    const second = await postJson(api.url, '/api/v1/notices', body, { 'Idempotency-Key': key });
    expect(first.status).toBe(201);
    expect(second.status).toBe(201);
    expect(second.headers.get('idempotent-replayed')).toBe('true');
    expect(second.body).toEqual(first.body);
    expect(await count(`notices WHERE case_id = $1`, [first.body.caseId])).toBe(1);

    const other = await postJson(api.url, '/api/v1/notices', completeNotice(['https://example.com/d/1']), {
      'Idempotency-Key': key,
    });
    expect(other.status).toBe(409);
    expect(other.body.message).toMatch(/different request body/);
  });

  it('accepts 10,000 URLs in one notice and refuses one more with the limit named', async () => {
    const base = uniqueId();
    const urls = Array.from({ length: 10_000 }, (_, i) => `https://example.com/software/bulk-${base}-${i}`);
    const res = await postJson(api.url, '/api/v1/notices', completeNotice(urls));
    expect(res.status).toBe(201);
    expect(res.body.links.filter((l: { role: string }) => l.role === 'infringing')).toHaveLength(10_000);
    expect(await count(`reported_links WHERE case_id = $1 AND role = 'infringing'`, [res.body.caseId])).toBe(10_000);

    const before = await count('cases');
    const tooMany = await postJson(
      api.url,
      '/api/v1/notices',
      completeNotice([...urls, 'https://example.com/d/10001']),
    );
    expect(tooMany.status).toBe(413);
    expect(tooMany.body.message).toContain('at most 10000 URLs');
    expect(await count('cases')).toBe(before);
  });

  it('records a URL listed twice in one notice once, and its case counts it once', async () => {
    const url = `https://example.com/software/twice-${uniqueId()}`;
    const other = `https://example.com/software/once-${uniqueId()}`;
    const res = await postJson(api.url, '/api/v1/notices', completeNotice([url, other, url, `${url}#again`]));
    expect(res.status).toBe(201);
    const { rows } = await client.query<{ url: string }>(
      `SELECT url FROM reported_links WHERE case_id = $1 ORDER BY position`,
      [res.body.caseId],
    );
    expect(new Set(rows.map((r) => r.url)).size).toBe(rows.length);
    expect(rows.map((r) => r.url)).toEqual(expect.arrayContaining([url, other]));
    const { rows: kase } = await client.query<{ link_count: number }>(`SELECT link_count FROM cases WHERE id = $1`, [
      res.body.caseId,
    ]);
    expect(kase[0].link_count).toBe(rows.length);
  });

  it('answers bad input with a clear 4xx and writes nothing', async () => {
    const before = await count('cases');
    const malformed = await postJson(api.url, '/api/v1/notices', '{"text": "unterminated');
    expect(malformed.status).toBe(400);
    expect(malformed.body.message).toMatch(/not valid JSON/);

    const badEmail = await postJson(
      api.url,
      '/api/v1/notices',
      completeNotice(['https://example.com/d/1'], {
        complainant: { name: 'Jane Roe', email: 'jane at example', role: 'owner' },
      }),
    );
    expect(badEmail.status).toBe(400);
    expect(badEmail.body.message).toEqual(expect.arrayContaining([expect.stringContaining('complainant.email')]));

    const empty = await postJson(api.url, '/api/v1/notices', {});
    expect(empty.status).toBe(400);

    const unknownField = await postJson(api.url, '/api/v1/notices', { text: 'x', colour: 'blue' });
    expect(unknownField.status).toBe(400);
    expect(unknownField.body.message).toEqual(expect.arrayContaining([expect.stringContaining('colour')]));

    const huge = await postJson(api.url, '/api/v1/notices', { text: 'x'.repeat(6 * 1024 * 1024) });
    expect(huge.status).toBe(413);
    expect(huge.body.message).toMatch(/over the limit of \d+ bytes/);

    expect(await count('cases')).toBe(before);
  });

  it('keeps javascript: and data: URLs as text, sorts them invalid and never acts on them', async () => {
    const res = await postJson(
      api.url,
      '/api/v1/notices',
      completeNotice([
        'javascript:alert(document.cookie)',
        'data:text/html,<script>alert(1)</script>',
        `https://example.com/d/${uniqueId()}`,
      ]),
    );
    expect(res.status).toBe(201);
    const invalid = res.body.links.filter((l: { classification: string }) => l.classification === 'invalid');
    expect(invalid.map((l: { url: string }) => l.url)).toEqual(
      expect.arrayContaining(['javascript:alert(document.cookie)', 'data:text/html,<script>alert(1)</script>']),
    );
    expect(invalid.every((l: { action: string }) => l.action === 'none')).toBe(true);
    await drain(client, TEST_REDIS_URL, prefix);
    const rows = await client.query(
      `SELECT l.status, (SELECT count(*)::int FROM takedowns t WHERE t.reported_link_id = l.id) AS takedowns
       FROM reported_links l WHERE l.case_id = $1 AND l.classification = 'invalid'`,
      [res.body.caseId],
    );
    expect(rows.rows).toEqual([
      { status: 'ignored', takedowns: 0 },
      { status: 'ignored', takedowns: 0 },
    ]);
    const page = await (await fetch(res.body.statusUrl.replace('http://localhost:3000', api.url))).text();
    expect(page).not.toContain('<script>alert(1)');
    expect(page).toContain('<td class="url">data:text/html,&lt;script&gt;alert(1)&lt;/script&gt;</td>');
    expect(page).toContain('<td class="url">javascript:alert(document.cookie)</td>');
    expect(page).not.toContain('href="javascript:');
  });
});
