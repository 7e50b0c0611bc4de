import type { INestApplicationContext } from '@nestjs/common';
import type { Client } from 'pg';
import { TEST_REDIS_URL } from './support/env';
import { completeNoticeFrom, createCatalogPage } from './support/factories';
import {
  auditTrail,
  db,
  drain,
  fileRoutedCase,
  type RunningApi,
  startApi,
  startWorker,
  uniqueId,
  uniquePrefix,
  waitFor,
} from './support/harness';
import { createStaff, type StaffFixture } from './support/staff';

jest.setTimeout(90_000);

interface TakenDownCase {
  reference: string;
  caseId: string;
  linkId: string;
  takedownId: string;
}

/**
 * A download two notices name, so two cases each hold a takedown of it: restoring it in one case leaves it down for
 * the other, and it goes back on the site only once no case holds it. A real API and worker, Postgres and Redis, and
 * the built-in catalog.
 */
describe('restoring a link another case still holds down', () => {
  const prefix = uniquePrefix();
  let api: RunningApi;
  let worker: INestApplicationContext;
  let client: Client;
  let legal: StaffFixture;

  beforeAll(async () => {
    client = await db();
    const env = { QUEUE_PREFIX: prefix, SWEEP_EVERY_SECONDS: '1' };
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

  const downloadStatus = async (id: string): Promise<number> =>
    (await fetch(`${api.url}/d/${id}`, { redirect: 'manual' })).status;

  const linkStatus = async (reference: string, linkId: string): Promise<string> => {
    const { body } = await call('GET', `/cases/${reference}`);
    return body.links.find((l: any) => l.id === linkId).status;
  };

  /** A case of its own complainant's naming the URL, routed and swept until its link is taken down. */
  const takenDownCase = async (url: string): Promise<TakenDownCase> => {
    const notice = completeNoticeFrom(`rights-${uniqueId()}@holder.example.org`, [url]);
    const { reference, caseId } = await fileRoutedCase(api, client, prefix, notice);
    return waitFor(`the link of ${reference} to be taken down`, async () => {
      const { rows } = await client.query<{ link_id: string; takedown_id: string }>(
        `SELECT l.id AS link_id, t.id AS takedown_id FROM reported_links l JOIN takedowns t ON t.reported_link_id = l.id
         WHERE l.case_id = $1 AND l.url = $2 AND l.status = 'taken_down' AND t.status = 'done'`,
        [caseId, url],
      );
      return rows[0] && { reference, caseId, linkId: rows[0].link_id, takedownId: rows[0].takedown_id };
    });
  };

  const restore = (kase: TakenDownCase, reason: string) =>
    call('POST', `/cases/${kase.reference}/restore`, { linkIds: [kase.linkId], reason });

  const restoredEvent = async (caseId: string): Promise<any> => {
    const events = (await auditTrail(client, caseId)).filter((e) => e.action === 'takedowns.restored');
    expect(events).toHaveLength(1);
    return events[0].detail;
  };

  const takedownStatus = async (id: string): Promise<{ status: string; restored_at: Date | null }> =>
    (await client.query(`SELECT status, restored_at FROM takedowns WHERE id = $1`, [id])).rows[0];

  it('keeps the download down while the other case holds it, and puts it back once that case restores it too', async () => {
    const page = await createCatalogPage(client);
    const download = page.downloads[0];
    const url = `https://example.com/d/${download.id}`;
    const first = await takenDownCase(url);
    const second = await takenDownCase(url);
    expect(await downloadStatus(download.id)).toBe(451);

    const restored = await restore(first, 'Counter-notice: the uploader owns the work');
    expect(restored).toEqual({ status: 200, body: { reference: first.reference, status: 'actioned', links: 1 } });
    await drain(client, TEST_REDIS_URL, prefix);

    // The first case's restoration is recorded, but the second case still holds the download down.
    expect(await restoredEvent(first.caseId)).toEqual({
      restoration: expect.any(String),
      restored: 1,
      heldDown: [{ siteRef: `catalog:${download.id}`, byCase: second.reference }],
    });
    expect(await takedownStatus(first.takedownId)).toEqual({ status: 'restored', restored_at: null });
    expect(await linkStatus(first.reference, first.linkId)).toBe('restored');
    expect(await downloadStatus(download.id)).toBe(451);
    expect(await linkStatus(second.reference, second.linkId)).toBe('taken_down');
    expect(await takedownStatus(second.takedownId)).toEqual({ status: 'done', restored_at: null });

    // Once the second case restores it as well, nobody holds it and it is live again.
    expect((await restore(second, 'The complainant withdrew the claim')).status).toBe(200);
    await drain(client, TEST_REDIS_URL, prefix);
    expect(await restoredEvent(second.caseId)).toEqual({ restoration: expect.any(String), restored: 1, verified: 1 });
    expect(await takedownStatus(second.takedownId)).toEqual({ status: 'restored', restored_at: expect.any(Date) });
    expect(await downloadStatus(download.id)).toBe(302);
  });

  it('puts the download back once when both cases restore it at the same time', async () => {
    const page = await createCatalogPage(client);
    const download = page.downloads[0];
    const url = `https://example.com/d/${download.id}`;
    const cases = [await takenDownCase(url), await takenDownCase(url)];

    // Hold both takedown rows so that both restore jobs are under way before either records its result: each then
    // reads the other's takedown as done unless the two are serialised.
    const holder = await db();
    try {
      await holder.query('BEGIN');
      await holder.query(`SELECT 1 FROM takedowns WHERE id = ANY($1::uuid[]) FOR UPDATE`, [
        cases.map((c) => c.takedownId),
      ]);
      for (const kase of cases) expect((await restore(kase, 'Restored by mistake')).status).toBe(200);
      await waitFor('both restore jobs to wait for a lock', async () => {
        const { rows } = await client.query<{ n: number }>(
          `SELECT count(*)::int AS n FROM pg_stat_activity
           WHERE datname = current_database() AND wait_event_type = 'Lock' AND pid <> pg_backend_pid()`,
        );
        return rows[0].n >= 2;
      });
      await holder.query('COMMIT');
    } finally {
      await holder.end();
    }
    await drain(client, TEST_REDIS_URL, prefix);

    // One of the two went first and found the other still holding the download; the other then put it back.
    const details = await Promise.all(cases.map((c) => restoredEvent(c.caseId)));
    const held = details.filter((d) => d.heldDown);
    expect(held).toHaveLength(1);
    const [firstDone] = cases.filter((_, i) => details[i].heldDown);
    const [lastDone] = cases.filter((_, i) => !details[i].heldDown);
    expect(held[0].heldDown).toEqual([{ siteRef: `catalog:${download.id}`, byCase: lastDone.reference }]);
    expect(await takedownStatus(firstDone.takedownId)).toEqual({ status: 'restored', restored_at: null });
    expect(await takedownStatus(lastDone.takedownId)).toEqual({ status: 'restored', restored_at: expect.any(Date) });
    expect(await downloadStatus(download.id)).toBe(302);
  });
});
