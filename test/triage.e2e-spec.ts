import type { INestApplicationContext } from '@nestjs/common';
import type { Client } from 'pg';
import { CaseStatus } from '../src/cases/case.entity';
import { canTransition } from '../src/cases/case-workflow';
import { completeNotice, createCatalogPage } from './support/factories';
import {
  auditTrail,
  db,
  fileRoutedCase,
  type RunningApi,
  startApi,
  startWorker,
  uniquePrefix,
  waitFor,
} from './support/harness';
import { opened } from './support/sealed';
import { createStaff, type StaffFixture } from './support/staff';

jest.setTimeout(90_000);

/** The triage API end to end: a real API and worker, Postgres and Redis; takedowns held for staff approval. */
describe('triage API', () => {
  const prefix = uniquePrefix();
  let api: RunningApi;
  let worker: INestApplicationContext;
  let client: Client;
  let legal: StaffFixture;
  let viewer: StaffFixture;

  beforeAll(async () => {
    client = await db();
    const env = { QUEUE_PREFIX: prefix, TAKEDOWN_REQUIRE_APPROVAL: 'true', SWEEP_EVERY_SECONDS: '1' };
    api = await startApi(env);
    worker = await startWorker(env);
    legal = await createStaff(client, 'legal');
    viewer = await createStaff(client, 'viewer');
  });

  afterAll(async () => {
    await worker?.close();
    await api?.close();
    await client?.end();
  });

  const call = async (
    staff: StaffFixture,
    method: string,
    path: string,
    body?: unknown,
  ): Promise<{ status: number; body: any }> => {
    const res = await fetch(`${api.url}/api/v1/staff${path}`, {
      method,
      headers: { authorization: `Bearer ${staff.token}`, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) : undefined };
  };
  const routedCase = (notice: Record<string, unknown>): Promise<{ reference: string; caseId: string }> =>
    fileRoutedCase(api, client, prefix, notice);
  const auditOf = (caseId: string) => auditTrail(client, caseId);

  it('approves chosen links: held takedowns fall due, the worker removes them and the links go taken_down', async () => {
    const page = await createCatalogPage(client, {
      targets: ['https://a.example.net/1.zip', 'https://a.example.net/2.zip'],
    });
    const urls = page.downloads.map((d) => `https://example.com/d/${d.id}`);
    const { reference, caseId } = await routedCase(completeNotice(urls));

    const before = await call(legal, 'GET', `/cases/${reference}`);
    expect(before.status).toBe(200);
    expect(before.body.status).toBe('in_review');
    const reported = before.body.links.filter((l: any) => l.role === 'infringing');
    expect(reported.map((l: any) => l.takedowns[0].status)).toEqual(['awaiting_approval', 'awaiting_approval']);
    const first = reported[0];
    // Why the sorter gave each link its role is kept for staff to check.
    expect(reported[0].roleReason).toBe('infringing URL field');
    expect(before.body.links.find((l: any) => l.role === 'original').roleReason).toBe('work URL field');

    const approved = await call(legal, 'POST', `/cases/${reference}/approve`, { linkIds: [first.id] });
    expect(approved).toEqual({ status: 200, body: { reference, status: 'actioned', links: 1 } });
    const links = await waitFor('the approved link to be taken down', async () => {
      const { body } = await call(legal, 'GET', `/cases/${reference}`);
      const infringing = body.links.filter((l: any) => l.role === 'infringing');
      return infringing[0].status === 'taken_down' ? infringing : undefined;
    });
    expect(links[1].status).toBe('pending');
    expect((await fetch(`${api.url}/d/${page.downloads[0].id}`, { redirect: 'manual' })).status).toBe(451);
    expect((await fetch(`${api.url}/d/${page.downloads[1].id}`, { redirect: 'manual' })).status).toBe(302);

    const events = await auditOf(caseId);
    expect(events).toEqual(
      expect.arrayContaining([
        {
          actor: legal.id,
          action: 'case.transitioned',
          detail: { from: 'in_review', to: 'actioned', reasonText: null },
        },
        { actor: legal.id, action: 'takedowns.approved', detail: { links: [urls[0]], reasonText: null } },
        expect.objectContaining({ actor: 'worker', action: 'takedowns.done' }),
      ]),
    );
    // A counter-notice's waiting period later: staff put the link back, and the worker restores it on the site.
    const pendingOne = await call(legal, 'POST', `/cases/${reference}/restore`, {
      linkIds: [links[1].id],
      reason: 'x',
    });
    expect(pendingOne.status).toBe(409);
    expect(pendingOne.body.message).toContain('only a taken-down link can be restored');
    const restored = await call(legal, 'POST', `/cases/${reference}/restore`, {
      linkIds: [first.id],
      reason: 'Counter-notice DMCA-CN-1: 14 business days passed without a lawsuit',
    });
    expect(restored.body).toEqual({ reference, status: 'actioned', links: 1 });
    await waitFor('the restored download', async () => {
      const res = await fetch(`${api.url}/d/${page.downloads[0].id}`, { redirect: 'manual' });
      return res.status === 302;
    });
    const after = (await call(legal, 'GET', `/cases/${reference}`)).body.links.find((l: any) => l.id === first.id);
    expect(after.status).toBe('restored');
    await waitFor('the takedown marked restored', async () => {
      const { rows } = await client.query(`SELECT status FROM takedowns WHERE reported_link_id = $1`, [first.id]);
      return rows[0].status === 'restored';
    });
    expect((await auditOf(caseId)).map((e) => e.action)).toEqual(
      expect.arrayContaining(['links.restored', 'takedowns.restored']),
    );
    // The case detail names the reason by its id and gives its words beside it.
    const detail = await call(legal, 'GET', `/cases/${reference}`);
    const restoredEvent = detail.body.audit.find((e: any) => e.action === 'links.restored');
    expect(restoredEvent).toMatchObject({
      detail: { links: [urls[0]], reasonText: expect.any(String) },
      texts: {
        reasonText: { text: 'Counter-notice DMCA-CN-1: 14 business days passed without a lawsuit', erased: false },
      },
    });

    // Staff acted, so the case counts as acknowledged for the service level.
    const { rows } = await client.query(`SELECT acknowledged_at FROM cases WHERE id = $1`, [caseId]);
    expect(rows[0].acknowledged_at).not.toBeNull();
  });

  it('refuses to approve an incomplete notice until staff override what is missing, and audits the override', async () => {
    const page = await createCatalogPage(client);
    const { reference, caseId } = await routedCase(
      completeNotice([`https://example.com/d/${page.downloads[0].id}`], { signature: undefined }),
    );
    const refused = await call(legal, 'POST', `/cases/${reference}/approve`, {});
    expect(refused.status).toBe(409);
    expect(refused.body.message).toContain('signature');

    const override = { element: 'signature', present: true, reason: 'Signed on the attached PDF' };
    expect((await call(legal, 'POST', `/cases/${reference}/overrides/elements`, override)).status).toBe(200);
    // needs_info may not jump to actioned: the workflow wants a review first.
    const jump = await call(legal, 'POST', `/cases/${reference}/approve`, {});
    expect(jump.status).toBe(409);
    expect(jump.body.allowed).toContain('in_review');
    expect((await call(legal, 'POST', `/cases/${reference}/transitions`, { to: 'in_review' })).status).toBe(201);
    const approved = await call(legal, 'POST', `/cases/${reference}/approve`, {});
    expect(approved.body).toEqual({ reference, status: 'actioned', links: 1 });
    await waitFor('the takedown', async () => {
      const { rows } = await client.query(
        `SELECT status FROM reported_links WHERE case_id = $1 AND role = 'infringing'`,
        [caseId],
      );
      return rows[0].status === 'taken_down';
    });
    const detail = await call(viewer, 'GET', `/cases/${reference}`);
    const signature = detail.body.checklist.elements.find((e: any) => e.name === 'signature');
    expect(signature).toMatchObject({ present: true, checker: false, override: { present: true, by: legal.id } });
    expect((await auditOf(caseId)).map((e) => e.action)).toEqual(
      expect.arrayContaining(['element.overridden', 'takedowns.approved', 'takedowns.done']),
    );
  });

  it('refuses to re-sort an approved link or reject one a sweep is removing right now', async () => {
    const page = await createCatalogPage(client);
    const { reference, caseId } = await routedCase(completeNotice([`https://example.com/d/${page.downloads[0].id}`]));
    const [link] = (
      await client.query(`SELECT id FROM reported_links WHERE case_id = $1 AND role = 'infringing'`, [caseId])
    ).rows;
    // The test's own rows, put in the states a busy worker leaves them in for a moment.
    await client.query(`UPDATE reported_links SET status = 'approved' WHERE id = $1`, [link.id]);
    const resort = await call(legal, 'POST', `/cases/${reference}/links/${link.id}/sorting`, {
      classification: 'external_other',
      reason: 'not ours',
    });
    expect(resort.status).toBe(409);
    expect(resort.body.message).toContain('reject it first');
    await client.query(
      `UPDATE takedowns SET status = 'pending', claimed_until = now() + interval '5 minutes' WHERE reported_link_id = $1`,
      [link.id],
    );
    const reject = await call(legal, 'POST', `/cases/${reference}/reject`, { linkIds: [link.id], reason: 'licensed' });
    expect(reject.status).toBe(409);
    expect(reject.body.message).toContain('being taken down right now');
    const { rows } = await client.query(`SELECT status FROM reported_links WHERE id = $1`, [link.id]);
    expect(rows[0].status).toBe('approved');
  });

  it('requests information: the case waits on the sender and the deficiency letter names what is missing', async () => {
    const { reference, caseId } = await routedCase(
      completeNotice(['https://example.com/software/anything'], { searchTerms: [] }),
    );
    const asked = await call(legal, 'POST', `/cases/${reference}/request-info`, {
      message: 'Please also tell us the version.',
    });
    expect(asked).toEqual({ status: 200, body: { reference, status: 'needs_info', letter: 'queued' } });
    const { rows } = await client.query(
      `SELECT text FROM letters WHERE case_id = $1 AND kind = 'deficiency' ORDER BY created_at DESC LIMIT 1`,
      [caseId],
    );
    const text = await opened(client, rows[0].text);
    expect(text).toContain('A search term under which the material appears on our site');
    expect(text).toContain('Please also tell us the version.');
  });

  it('rejects with a reason template, writes the rejection letter and ends the case', async () => {
    const { reference, caseId } = await routedCase(completeNotice(['https://example.com/software/x']));
    const templates = await call(viewer, 'GET', '/reason-templates');
    const notOurs = templates.body.find((t: any) => t.title === 'Not on our site');
    const rejected = await call(legal, 'POST', `/cases/${reference}/reject`, { templateId: notOurs.id });
    expect(rejected.body).toMatchObject({ reference, status: 'rejected', letter: 'queued' });
    const letter = await client.query(`SELECT subject, text FROM letters WHERE case_id = $1 AND kind = 'rejection'`, [
      caseId,
    ]);
    expect(await opened(client, letter.rows[0].text)).toContain(notOurs.body);
    // The letter's outcome is in the audit trail too, once the mail worker has sent it.
    await waitFor('the rejection letter to be sent', async () =>
      (await auditOf(caseId)).find((e) => e.action === 'letter.sent' && e.detail.kind === 'rejection'),
    );
    // A rejected case can only be reopened, with a reason.
    const again = await call(legal, 'POST', `/cases/${reference}/transitions`, { to: 'in_review' });
    expect(again.status).toBe(409);
    expect(again.body.message).toContain('needs a reason');
    const withdrawn = await call(legal, 'POST', `/cases/${reference}/transitions`, { to: 'withdrawn', reason: 'x' });
    expect(withdrawn.status).toBe(409);
  });

  it('assigns, notes and bulk-acts; the viewer reads but may not act', async () => {
    const a = await routedCase(completeNotice(['https://example.com/software/bulk-a']));
    const b = await routedCase(completeNotice(['https://example.com/software/bulk-b']));
    expect((await call(viewer, 'POST', `/cases/${a.reference}/notes`, { text: 'looks fine' })).status).toBe(403);
    expect((await call(legal, 'POST', `/cases/${a.reference}/notes`, { text: 'looks fine' })).status).toBe(201);
    const assigned = await call(legal, 'POST', '/cases/bulk', {
      action: 'assign',
      assigneeId: legal.id,
      references: [a.reference, b.reference, 'DMCA-1999-000000'],
    });
    expect(assigned.body).toEqual([
      { reference: a.reference, ok: true, status: 'in_review' },
      { reference: b.reference, ok: true, status: 'in_review' },
      { reference: 'DMCA-1999-000000', ok: false, error: 'No case DMCA-1999-000000.' },
    ]);
    const mine = await call(legal, 'GET', `/cases?assignee=me&q=bulk-&sort=newest`);
    expect(mine.body.items.map((i: any) => i.reference)).toEqual([b.reference, a.reference]);
    expect(mine.body.items[0].assignee).toEqual({ id: legal.id, name: legal.name });
    const toViewer = await call(legal, 'POST', `/cases/${a.reference}/assign`, { assigneeId: viewer.id });
    expect(toViewer.status).toBe(422);
    expect((await auditOf(a.caseId)).filter((e) => e.actor === legal.id).map((e) => e.action)).toEqual([
      'note.added',
      'case.assigned',
    ]);
  });

  it('filters the queue by missing element, provider, domain and status, and pages it', async () => {
    const deficient = await routedCase(
      completeNotice([`https://mega.nz/file/q${prefix}#k`], { goodFaith: false, searchTerms: ['zz-' + prefix] }),
    );
    const list = async (query: string): Promise<string[]> =>
      (await call(viewer, 'GET', `/cases?${query}`)).body.items.map((i: any) => i.reference);
    expect(await list(`missing=good_faith&q=mega.nz/file/q${prefix}`)).toEqual([deficient.reference]);
    expect(await list(`missing=any&provider=mega&q=q${prefix}`)).toEqual([deficient.reference]);
    expect(await list(`domain=mega.nz&status=needs_info&q=q${prefix}`)).toEqual([deficient.reference]);
    expect(await list(`domain=example.com&q=q${prefix}`)).toEqual([]);
    expect(await list(`status=actioned&q=q${prefix}`)).toEqual([]);
    const bad = await call(viewer, 'GET', '/cases?status=lost&perPage=1000');
    expect(bad.status).toBe(400);
    const page = await call(viewer, 'GET', '/cases?perPage=1&page=2');
    expect(page.body).toMatchObject({ page: 2, perPage: 1 });
    expect(page.body.items).toHaveLength(1);
    expect(page.body.total).toBeGreaterThan(1);
  });

  it('enforces the workflow for every pair of statuses, for each role, through the API', async () => {
    const admin = await createStaff(client, 'admin');
    const { reference, caseId } = await routedCase(completeNotice(['https://example.com/software/every-move']));
    const failures: string[] = [];
    for (const from of Object.values(CaseStatus)) {
      for (const to of Object.values(CaseStatus)) {
        for (const staff of [legal, admin, viewer]) {
          // Put the case in `from` behind the API's back (the test's own case), then ask for the move.
          await client.query(`UPDATE cases SET status = $2 WHERE id = $1`, [caseId, from]);
          const res = await call(staff, 'POST', `/cases/${reference}/transitions`, { to, reason: 'table test' });
          const expected = staff === viewer ? 403 : canTransition(from, to) ? 201 : 409;
          const { rows } = await client.query(`SELECT status FROM cases WHERE id = $1`, [caseId]);
          const after = expected === 201 ? to : from;
          if (res.status !== expected || rows[0].status !== after) {
            failures.push(`${from} → ${to} as ${staff.role}: ${res.status} and ${rows[0].status}`);
          }
        }
      }
    }
    expect(failures).toEqual([]);
    const moves = await client.query(
      `SELECT count(*)::int AS n FROM audit_events e JOIN case_texts t ON t.id::text = e.detail->>'reasonText'
       WHERE e.case_id = $1 AND e.action = 'case.transitioned' AND t.text = 'table test'`,
      [caseId],
    );
    const allowed = Object.values(CaseStatus).flatMap((from) =>
      Object.values(CaseStatus).filter((to) => canTransition(from, to)),
    );
    expect(moves.rows[0].n).toBe(allowed.length * 2);
  });

  it('documents the triage API in OpenAPI, with its request bodies and security', async () => {
    const doc = (await (await fetch(`${api.url}/api/docs-json`)).json()) as any;
    const approve = doc.paths['/api/v1/staff/cases/{reference}/approve'].post;
    expect(approve.requestBody.content['application/json'].schema.$ref).toBe('#/components/schemas/ApproveDto');
    expect(approve.security).toEqual(expect.arrayContaining([{ bearer: [] }, { cookie: [] }]));
    expect(doc.paths['/api/v1/staff/cases'].get.parameters.map((p: any) => p.name)).toEqual(
      expect.arrayContaining(['status', 'missing', 'provider', 'domain', 'assignee', 'overdue', 'q', 'sort', 'page']),
    );
    expect(doc.components.schemas.RejectDto.properties).toHaveProperty('templateId');
    expect(doc.components.securitySchemes).toHaveProperty('bearer');
  });

  it('keeps the audit log append-only in the database', async () => {
    const { caseId } = await routedCase(completeNotice(['https://example.com/software/audit']));
    await expect(
      client.query(`UPDATE audit_events SET actor = 'someone' WHERE case_id = $1`, [caseId]),
    ).rejects.toThrow('append-only');
    await expect(client.query(`DELETE FROM audit_events WHERE case_id = $1`, [caseId])).rejects.toThrow('append-only');
  });
});
