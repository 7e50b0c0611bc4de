import type { INestApplicationContext } from '@nestjs/common';
import type { Client } from 'pg';
import { completeNotice, createCatalogPage } from './support/factories';
import {
  auditTrail,
  db,
  fileRoutedCase,
  type RunningApi,
  startApi,
  startWorker,
  uniqueId,
  uniquePrefix,
  waitFor,
} from './support/harness';
import { createStaff, type StaffFixture } from './support/staff';
import { openedAll } from './support/sealed';

jest.setTimeout(90_000);

/**
 * With takedowns held for approval, the takedown of our own link to a reported storage file (512(d)) is approved
 * like any other: the link itself stays referred (the file is at its provider), and approval releases the takedown.
 */
describe('approving the removal of our links to reported storage files', () => {
  const prefix = uniquePrefix();
  let api: RunningApi;
  let worker: INestApplicationContext;
  let client: Client;
  let legal: StaffFixture;

  beforeAll(async () => {
    client = await db();
    const env = { QUEUE_PREFIX: prefix, TAKEDOWN_REQUIRE_APPROVAL: 'true', SWEEP_EVERY_SECONDS: '1' };
    api = await startApi(env);
    worker = await startWorker(env);
    legal = await createStaff(client, 'legal');
  });

  afterAll(async () => {
    await worker?.close();
    await api?.close();
    await client?.end();
  });

  const call = async (method: string, path: string, body?: unknown): Promise<{ status: number; body: any }> => {
    const res = await fetch(`${api.url}/api/v1/staff${path}`, {
      method,
      headers: { authorization: `Bearer ${legal.token}`, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) : undefined };
  };
  const download = async (id: string): Promise<number> =>
    (await fetch(`${api.url}/d/${id}`, { redirect: 'manual' })).status;
  const takedownsOf = async (caseId: string): Promise<{ url: string; reason: string; status: string }[]> =>
    (
      await client.query(
        `SELECT l.url, t.reason, t.status FROM takedowns t JOIN reported_links l ON l.id = t.reported_link_id
         WHERE t.case_id = $1 ORDER BY t.reason`,
        [caseId],
      )
    ).rows;
  const letterText = async (caseId: string, kind: string): Promise<string[]> =>
    (await openedAll(
      client,
      (
        await client.query(`SELECT text FROM letters WHERE case_id = $1 AND kind = $2 ORDER BY created_at`, [
          caseId,
          kind,
        ])
      ).rows.map((r) => r.text as string),
    )) as string[];

  async function fileCase(): Promise<{
    reference: string;
    caseId: string;
    internal: string;
    mega: string;
    page: { downloads: { id: string }[] };
  }> {
    const mega = `https://mega.nz/file/${uniqueId()}`;
    const page = await createCatalogPage(client, {
      targets: [`https://files.example-mirror.org/${uniqueId()}.zip`, mega],
    });
    const internal = `https://example.com/d/${page.downloads[0].id}`;
    const { reference, caseId } = await fileRoutedCase(api, client, prefix, completeNotice([internal, mega]));
    return { reference, caseId, internal, mega, page };
  }

  it('"approve all" includes it, the sweep removes our link, and the letters say what happened when', async () => {
    const { reference, caseId, internal, mega, page } = await fileCase();
    expect(await takedownsOf(caseId)).toEqual([
      { url: internal, reason: 'reported', status: 'awaiting_approval' },
      { url: mega, reason: 'outbound_link', status: 'awaiting_approval' },
    ]);
    // Nothing is removed yet: the referral letter must not say that we removed (or remove) our link.
    const [referral] = await letterText(caseId, 'referral');
    expect(referral).toContain(mega);
    expect(referral).not.toContain('we remove our link');
    expect(referral).toContain('once our staff have reviewed');

    const approved = await call('POST', `/cases/${reference}/approve`, {});
    expect(approved).toEqual({ status: 200, body: { reference, status: 'actioned', links: 2 } });
    await waitFor('both takedowns to be done', async () => {
      const rows = await takedownsOf(caseId);
      return rows.every((t) => t.status === 'done') ? rows : undefined;
    });
    expect(await download(page.downloads[0].id)).toBe(451);
    expect(await download(page.downloads[1].id)).toBe(451);
    const { rows } = await client.query(`SELECT url, status FROM reported_links WHERE case_id = $1`, [caseId]);
    expect(Object.fromEntries(rows.map((r) => [r.url, r.status]))).toMatchObject({
      [internal]: 'taken_down',
      [mega]: 'referred',
    });
    const done = await waitFor('the done letter', async () => {
      const l = await letterText(caseId, 'takedown_done');
      return l.length > 0 ? l : undefined;
    });
    expect(done).toHaveLength(1);
    expect(done[0]).toContain(internal);
    expect(done[0]).toMatch(/we removed our links to these files[^]*mega\.nz/);
    const approval = (await auditTrail(client, caseId)).find((e) => e.action === 'takedowns.approved');
    expect(approval?.detail.links).toEqual(expect.arrayContaining([internal, mega]));
  });

  it('approves it alone when chosen by id', async () => {
    const { reference, caseId, mega, page } = await fileCase();
    const { rows } = await client.query(`SELECT id FROM reported_links WHERE case_id = $1 AND url = $2`, [
      caseId,
      mega,
    ]);
    const approved = await call('POST', `/cases/${reference}/approve`, { linkIds: [rows[0].id] });
    expect(approved).toEqual({ status: 200, body: { reference, status: 'actioned', links: 1 } });
    await waitFor('our link to the file to be removed', async () => (await download(page.downloads[1].id)) === 451);
    expect(await download(page.downloads[0].id)).toBe(302);
    const again = await call('POST', `/cases/${reference}/approve`, { linkIds: [rows[0].id] });
    expect(again.status).toBe(409);
  });
});
