import type { Client } from 'pg';
import { TEST_REDIS_URL } from './support/env';
import { completeNoticeFrom, createCatalogPage, postJson } from './support/factories';
import { freshDatabase, isolatedDatabaseUrl } from './support/database';
import {
  auditTrail,
  drain,
  type RunningApi,
  startApi,
  startWorker,
  uniqueId,
  uniquePrefix,
  waitFor,
} from './support/harness';
import { createStaff, type StaffFixture } from './support/staff';

jest.setTimeout(90_000);

/**
 * Who may cause a removal without a person looking (issue 13 §4), with the product's default policy (the other
 * end-to-end tests act on anonymous notices at once, see test/support/env.ts): an anonymous notice is held for
 * approval while a trusted flagger's identical one is acted on; the trusted flagger's case comes first in the queue
 * with its shorter deadline; a page-level takedown over PAGE_TAKEDOWN_MAX_DOWNLOADS waits even for a trusted flagger.
 */
describe('the auto-action policy and trusted flaggers', () => {
  const prefix = uniquePrefix();
  let client: Client;
  let api: RunningApi;
  let worker: Awaited<ReturnType<typeof startWorker>>;
  let admin: StaffFixture;
  let legal: StaffFixture;
  let trustedKey: string;

  beforeAll(async () => {
    // A database of its own, so that the queue holds only this file's cases.
    client = await freshDatabase('auto_action');
    const env = {
      DATABASE_URL: isolatedDatabaseUrl('auto_action'),
      QUEUE_PREFIX: prefix,
      // The product's defaults, which test/support/env.ts opens up for the other tests.
      AUTO_ACTION_STANDINGS: 'trusted_flagger,agency,verified',
      AUTO_ACTION_MAX_URLS: '100',
      PAGE_TAKEDOWN_MAX_DOWNLOADS: '2',
      SLA_ACTION_BUSINESS_DAYS: '5',
      SLA_TRUSTED_ACTION_BUSINESS_DAYS: '1',
      SLA_TIMEZONE: 'UTC',
      SLA_HOLIDAYS: '',
    };
    api = await startApi(env);
    worker = await startWorker(env);
    admin = await createStaff(client, 'admin');
    legal = await createStaff(client, 'legal');
    const made = await postJson(
      api.url,
      '/api/v1/staff/agencies',
      { name: `Trusted ${uniqueId()}`, contactEmail: 'flags@trusted.example.org' },
      { authorization: `Bearer ${admin.token}` },
    );
    expect(made.status).toBe(201);
    trustedKey = made.body.key;
    const trusted = await postJson(
      api.url,
      `/api/v1/staff/agencies/${made.body.id}/trusted-flagger`,
      { authority: 'Digital Services Coordinator (test)', area: 'Copyright in software' },
      { authorization: `Bearer ${admin.token}` },
    );
    expect(trusted.status).toBe(200);
    expect(trusted.body.trustedFlagger).toMatchObject({ authority: 'Digital Services Coordinator (test)' });
    // Only admins designate.
    const refused = await postJson(
      api.url,
      `/api/v1/staff/agencies/${made.body.id}/trusted-flagger`,
      { authority: 'x', area: 'y' },
      { authorization: `Bearer ${legal.token}` },
    );
    expect(refused.status).toBe(403);
  });

  afterAll(async () => {
    await worker?.close();
    await api?.close();
    await client?.end();
  });

  const status = async (path: string) => (await fetch(`${api.url}${path}`, { redirect: 'manual' })).status;
  const policyOf = async (caseId: string) =>
    (await auditTrail(client, caseId)).find((e) => e.action === 'takedowns.scheduled')?.detail.policy;

  it("holds an anonymous notice for approval while a trusted flagger's identical one is acted on", async () => {
    const anonymousPage = await createCatalogPage(client);
    const trustedPage = await createCatalogPage(client);
    const anonymous = await postJson(
      api.url,
      '/api/v1/notices',
      completeNoticeFrom(`anon-${uniqueId()}@rights.test`, [`https://example.com/d/${anonymousPage.downloads[0].id}`]),
    );
    const trusted = await postJson(
      api.url,
      '/api/v1/notices',
      completeNoticeFrom('flags@trusted.example.org', [`https://example.com/d/${trustedPage.downloads[0].id}`]),
      { authorization: `Bearer ${trustedKey}` },
    );
    expect([anonymous.status, trusted.status]).toEqual([201, 201]);
    // The answers already say which waits for a person, and the status pages keep saying it.
    expect(anonymous.body.links.map((l: { action: string }) => l.action).filter((a: string) => a !== 'none')).toEqual([
      'takedown_after_approval',
    ]);
    expect(trusted.body.links.map((l: { action: string }) => l.action).filter((a: string) => a !== 'none')).toEqual([
      'takedown',
    ]);
    await drain(client, TEST_REDIS_URL, prefix);
    await waitFor(
      "the trusted flagger's download to be removed",
      async () => (await status(`/d/${trustedPage.downloads[0].id}`)) === 451,
    );
    await waitFor('the anonymous case to be routed', async () => !!(await policyOf(anonymous.body.caseId)));
    expect(await status(`/d/${anonymousPage.downloads[0].id}`)).toBe(302);
    expect(await policyOf(anonymous.body.caseId)).toEqual({ standing: 'anonymous', reason: 'standing_not_trusted' });
    expect(await policyOf(trusted.body.caseId)).toEqual({ standing: 'trusted_flagger', reason: 'trusted_standing' });
    const { rows } = await client.query(`SELECT status FROM takedowns WHERE case_id = $1`, [anonymous.body.caseId]);
    expect(rows.map((r) => r.status)).toEqual(['awaiting_approval']);
    const token = (anonymous.body.statusUrl as string).split('/').pop();
    const statusPage = (await (await fetch(`${api.url}/api/v1/status/${token}`)).json()) as any;
    expect(statusPage.links.map((l: { action: string }) => l.action).filter((a: string) => a !== 'none')).toEqual([
      'takedown_after_approval',
    ]);
    const cases = await client.query(`SELECT id, status FROM cases WHERE id = ANY($1::uuid[])`, [
      [anonymous.body.caseId, trusted.body.caseId],
    ]);
    expect(Object.fromEntries(cases.rows.map((r) => [r.id, r.status]))).toEqual({
      [anonymous.body.caseId]: 'in_review',
      [trusted.body.caseId]: 'actioned',
    });

    // A person approves the held one; then it goes.
    const approved = await postJson(
      api.url,
      `/api/v1/staff/cases/${anonymous.body.reference}/approve`,
      {},
      { authorization: `Bearer ${legal.token}` },
    );
    expect(approved.status).toBe(200);
    await drain(client, TEST_REDIS_URL, prefix);
    await waitFor(
      'the approved download to be removed',
      async () => (await status(`/d/${anonymousPage.downloads[0].id}`)) === 451,
    );
  });

  it("puts a trusted flagger's case first in the queue with its shorter deadline", async () => {
    const url = () => `https://example.com/d/${uniqueId()}`;
    const older = await postJson(
      api.url,
      '/api/v1/notices',
      completeNoticeFrom(`anon-${uniqueId()}@rights.test`, [url()], { goodFaith: false }),
    );
    const newer = await postJson(
      api.url,
      '/api/v1/notices',
      completeNoticeFrom('flags@trusted.example.org', [url()], { goodFaith: false }),
      { authorization: `Bearer ${trustedKey}` },
    );
    const queue = (await (
      await fetch(`${api.url}/api/v1/staff/cases?perPage=100`, { headers: { authorization: `Bearer ${legal.token}` } })
    ).json()) as { items: { reference: string; trustedFlagger: boolean; actionDueAt: string }[] };
    const at = (ref: string) => queue.items.findIndex((i) => i.reference === ref);
    const trustedItem = queue.items[at(newer.body.reference)];
    expect(trustedItem.trustedFlagger).toBe(true);
    expect(at(newer.body.reference)).toBeLessThan(at(older.body.reference));
    expect(queue.items.slice(0, at(newer.body.reference) + 1).every((i) => i.trustedFlagger)).toBe(true);
    const olderItem = queue.items[at(older.body.reference)];
    expect(new Date(trustedItem.actionDueAt).getTime()).toBeLessThan(new Date(olderItem.actionDueAt).getTime());
    const metrics = await (await fetch(`${api.url}/metrics`)).text();
    expect(metrics).toMatch(/takedown_desk_trusted_flagger_cases\{status="[a-z_]+"\} [1-9]/);
  });

  it('holds a page-level takedown over PAGE_TAKEDOWN_MAX_DOWNLOADS, even from a trusted flagger', async () => {
    const page = await createCatalogPage(client, {
      targets: [1, 2, 3].map((i) => `https://files.example-mirror.org/big-${uniqueId()}-${i}.zip`),
    });
    const filed = await postJson(
      api.url,
      '/api/v1/notices',
      completeNoticeFrom('flags@trusted.example.org', [`https://example.com/software/${page.slug}`]),
      { authorization: `Bearer ${trustedKey}` },
    );
    expect(filed.status).toBe(201);
    await drain(client, TEST_REDIS_URL, prefix);
    await waitFor('the case to be routed', async () => !!(await policyOf(filed.body.caseId)));
    expect(await policyOf(filed.body.caseId)).toEqual({ standing: 'trusted_flagger', reason: 'page_too_large' });
    for (const d of page.downloads) expect(await status(`/d/${d.id}`)).toBe(302);
  });
});
