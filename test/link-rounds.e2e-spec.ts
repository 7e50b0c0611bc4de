import 'reflect-metadata';
import type { INestApplicationContext } from '@nestjs/common';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { LinkTransitionError, moveLinks } from '../src/cases/link-transitions';
import { LinkStatus } from '../src/cases/reported-link.entity';
import { dataSourceOptions } from '../src/core/database/data-source-options';
import { isolatedDatabase, isolatedDatabaseUrl } from './support/database';
import { completeNotice, createCatalogPage, postJson } from './support/factories';
import { auditTrail, type RunningApi, startApi, startWorker, uniqueId, uniquePrefix, waitFor } from './support/harness';
import { openedRows } from './support/sealed';

jest.setTimeout(90_000);

/**
 * Letters per round of removals, across sweep batches, and what the sweep does with a takedown whose link the
 * workflow will not let it mark taken down. A database of its own: the tests move due times by hand, and a small
 * sweep batch would otherwise take up other files' takedowns.
 */
const DATABASE_URL = isolatedDatabaseUrl('rounds');
const ENV = { DATABASE_URL, TAKEDOWN_DELAY_SECONDS: '3600', SWEEP_EVERY_SECONDS: '1', SWEEP_BATCH_SIZE: '3' };

describe('takedown letters per round of removals', () => {
  const prefix = uniquePrefix();
  let api: RunningApi;
  let worker: INestApplicationContext;
  let client: Client;

  beforeAll(async () => {
    client = await isolatedDatabase('rounds');
    const env = { ...ENV, QUEUE_PREFIX: prefix, SITE_ADAPTER: 'catalog' };
    api = await startApi(env);
    worker = await startWorker(env);
  });

  afterAll(async () => {
    await worker?.close();
    await api?.close();
    await client?.end();
  });

  async function submit(urls: string[]): Promise<{ caseId: string; reference: string }> {
    const res = await postJson(api.url, '/api/v1/notices', completeNotice(urls));
    expect(res.status).toBe(201);
    await waitFor('the case to be routed', async () => {
      const { rows } = await client.query(`SELECT routed_at FROM cases WHERE id = $1`, [res.body.caseId]);
      return rows[0]?.routed_at ? true : undefined;
    });
    // The case and its takedowns are written in one transaction; wait for both all the same.
    await waitFor('the takedowns to be recorded', async () => {
      const { rows } = await client.query(`SELECT count(*)::int AS n FROM takedowns WHERE case_id = $1`, [
        res.body.caseId,
      ]);
      return rows[0].n === urls.length;
    });
    return { caseId: res.body.caseId, reference: res.body.reference };
  }

  const letters = async (caseId: string, kind: string): Promise<{ recipient: string; text: string }[]> =>
    openedRows(
      client,
      (
        await client.query(`SELECT recipient, text FROM letters WHERE case_id = $1 AND kind = $2 ORDER BY created_at`, [
          caseId,
          kind,
        ])
      ).rows,
      ['recipient', 'text'],
    );

  it('sends one uploader letter and one done letter listing all ten links, though the sweep took them three at a time', async () => {
    const uploader = `uploader-${uniqueId()}@uploads.example.org`;
    const page = await createCatalogPage(client, {
      uploaderEmail: uploader,
      targets: Array.from({ length: 10 }, (_, i) => `https://files.example-mirror.org/${uniqueId()}-${i}.zip`),
    });
    const urls = page.downloads.map((d) => `https://example.com/d/${d.id}`);
    const kase = await submit(urls);
    const { rowCount } = await client.query(
      `UPDATE takedowns SET due_at = now() WHERE case_id = $1 AND status = 'pending'`,
      [kase.caseId],
    );
    expect(rowCount).toBe(10);

    await waitFor('all ten takedowns to be done', async () => {
      const { rows } = await client.query(`SELECT status FROM takedowns WHERE case_id = $1`, [kase.caseId]);
      return rows.length === 10 && rows.every((r) => r.status === 'done');
    });
    // The sweep took them in batches of three: four takedowns.done events.
    const done = (await auditTrail(client, kase.caseId)).filter((e) => e.action === 'takedowns.done');
    expect(done.length).toBeGreaterThan(1);

    const toUploader = await waitFor('the uploader letter', async () => {
      const l = await letters(kase.caseId, 'uploader');
      return l.length > 0 ? l : undefined;
    });
    expect(toUploader).toHaveLength(1);
    expect(toUploader[0].recipient).toBe(uploader);
    for (const url of urls) expect(toUploader[0].text).toContain(url);

    const toComplainant = await letters(kase.caseId, 'takedown_done');
    expect(toComplainant).toHaveLength(1);
    for (const url of urls) expect(toComplainant[0].text).toContain(url);
  });

  it('does not remove a link the workflow will not mark taken down, and fails its takedown for staff', async () => {
    const page = await createCatalogPage(client, {
      targets: [
        `https://files.example-mirror.org/${uniqueId()}.zip`,
        `https://files.example-mirror.org/${uniqueId()}.zip`,
      ],
    });
    const [kept, removed] = page.downloads.map((d) => `https://example.com/d/${d.id}`);
    const kase = await submit([kept, removed]);
    // As a writer outside the door could leave it: the link rejected, its takedown still due.
    await client.query(`UPDATE reported_links SET status = 'rejected' WHERE case_id = $1 AND url = $2`, [
      kase.caseId,
      kept,
    ]);
    await client.query(`UPDATE takedowns SET due_at = now() WHERE case_id = $1`, [kase.caseId]);

    const rows = await waitFor('both takedowns to be settled', async () => {
      const { rows } = await client.query(
        `SELECT l.url, l.status AS link, t.status, t.last_error FROM takedowns t
         JOIN reported_links l ON l.id = t.reported_link_id WHERE t.case_id = $1`,
        [kase.caseId],
      );
      return rows.every((r) => r.status !== 'pending') ? rows : undefined;
    });
    const byUrl = Object.fromEntries(rows.map((r) => [r.url, r]));
    expect(byUrl[removed]).toMatchObject({ link: 'taken_down', status: 'done' });
    expect(byUrl[kept]).toMatchObject({ link: 'rejected', status: 'failed' });
    expect(byUrl[kept].last_error).toContain('rejected');
    const download = async (id: string): Promise<number> =>
      (await fetch(`${api.url}/d/${id}`, { redirect: 'manual' })).status;
    expect(await download(page.downloads[0].id)).toBe(302);
    expect(await download(page.downloads[1].id)).toBe(451);
    const events = await auditTrail(client, kase.caseId);
    expect(events).toContainEqual(
      expect.objectContaining({
        actor: 'worker',
        action: 'links.transition_refused',
        detail: { during: 'takedowns.failed', links: [{ url: kept, status: 'rejected', to: 'taken_down' }] },
      }),
    );
  });

  it('refuses a move the workflow forbids: a system actor skips it and says so, staff get nothing written', async () => {
    const page = await createCatalogPage(client, {
      targets: [
        `https://files.example-mirror.org/${uniqueId()}.zip`,
        `https://files.example-mirror.org/${uniqueId()}.zip`,
      ],
    });
    const [rejected, approved] = page.downloads.map((d) => `https://example.com/d/${d.id}`);
    const kase = await submit([rejected, approved]);
    const { rows } = await client.query(
      `UPDATE reported_links SET status = CASE url WHEN $2 THEN 'rejected'::link_status ELSE status END
       WHERE case_id = $1 AND url = ANY($3::text[]) RETURNING id, url`,
      [kase.caseId, rejected, [rejected, approved]],
    );
    const ids = rows.map((r) => r.id);
    const ds = new DataSource(dataSourceOptions(DATABASE_URL, 1));
    await ds.initialize();
    try {
      const event = {
        action: 'takedowns.scheduled' as const,
        detail: { takedowns: 0, internalNotFound: 2, outboundLinks: 0 },
      };
      // As the router would move links a staff member rejected since its plan was read.
      const skipped = await ds.transaction((m) =>
        moveLinks(m, {
          caseId: kase.caseId,
          actor: 'worker',
          moves: [{ linkIds: ids, to: LinkStatus.NotFound }],
          onRefused: 'skip',
          event,
        }),
      );
      expect(skipped.moved.map((l) => l.url)).toEqual([approved]);
      expect(skipped.refused.map((l) => [l.url, l.status])).toEqual([[rejected, 'rejected']]);
      const before = (await auditTrail(client, kase.caseId)).length;
      await expect(
        ds.transaction((m) =>
          moveLinks(m, {
            caseId: kase.caseId,
            actor: 'staff-1',
            moves: [{ linkIds: ids, to: LinkStatus.Restored }],
            onRefused: 'refuse',
            event,
          }),
        ),
      ).rejects.toThrow(LinkTransitionError);
      expect((await auditTrail(client, kase.caseId)).length).toBe(before);
    } finally {
      await ds.destroy();
    }
    const statuses = await client.query(`SELECT url, status FROM reported_links WHERE id = ANY($1::uuid[])`, [ids]);
    expect(Object.fromEntries(statuses.rows.map((r) => [r.url, r.status]))).toEqual({
      [rejected]: 'rejected',
      [approved]: 'not_found',
    });
    const events = (await auditTrail(client, kase.caseId)).filter((e) => e.actor === 'worker').map((e) => e.action);
    expect(events.slice(-2)).toEqual(['takedowns.scheduled', 'links.transition_refused']);
  });
});
