import type { INestApplicationContext } from '@nestjs/common';
import type { Client } from 'pg';
import { completeNoticeFrom, createCatalogPage } from './support/factories';
import {
  auditTrail,
  auditTrailWithTexts,
  db,
  fileRoutedCase,
  type RunningApi,
  startApi,
  startWorker,
  uniqueId,
  uniquePrefix,
} from './support/harness';
import { openedAll } from './support/sealed';
import { type Page, StaffBrowser } from './support/staff-browser';
import { createStaff, signIn, type StaffFixture } from './support/staff';

jest.setTimeout(120_000);

/** Every staff page is private and runs no script. */
function expectStaffHeaders(page: Page): void {
  expect(page.headers.get('cache-control')).toBe('no-store');
  expect(page.headers.get('content-type')).toMatch(/^text\/html/);
  const csp = page.headers.get('content-security-policy') ?? '';
  expect(csp).toContain("default-src 'none'");
  expect(csp).not.toContain('unsafe-inline');
  expect(csp).not.toMatch(/script-src[^;]*'unsafe/);
  expect(page.html).not.toMatch(/<script/i);
  expect(page.html).not.toMatch(/ style=/i);
}

const flashOf = (html: string): string | undefined =>
  /class="flash[^"]*"[^>]*>\s*<p><strong>[^<]*<\/strong> (.*?)<\/p>/s.exec(html)?.[1];
const postForms = (html: string): string[] =>
  [...html.matchAll(/<form method="post" action="([^"]+)"/g)].map((m) => m[1]);

describe('staff pages over HTTP: cookie, CSRF, forms', () => {
  const prefix = uniquePrefix();
  const sender = `pages-${prefix}@rights.example.org`;
  let api: RunningApi;
  let worker: INestApplicationContext;
  let client: Client;
  let legal: StaffFixture;
  let viewer: StaffFixture;
  let admin: StaffFixture;
  let asLegal: StaffBrowser;
  let asViewer: StaffBrowser;
  let asAdmin: StaffBrowser;

  beforeAll(async () => {
    client = await db();
    const env = { QUEUE_PREFIX: prefix, TAKEDOWN_REQUIRE_APPROVAL: 'true', SWEEP_EVERY_SECONDS: '1' };
    api = await startApi(env);
    worker = await startWorker(env);
    [legal, viewer, admin] = await Promise.all([
      createStaff(client, 'legal'),
      createStaff(client, 'viewer'),
      createStaff(client, 'admin'),
    ]);
    [asLegal, asViewer, asAdmin] = await Promise.all([
      StaffBrowser.signIn(api.url, legal),
      StaffBrowser.signIn(api.url, viewer),
      StaffBrowser.signIn(api.url, admin),
    ]);
  });

  afterAll(async () => {
    await worker?.close();
    await api?.close();
    await client?.end();
  });

  const notice = (urls: string[], overrides: Record<string, unknown> = {}): Record<string, unknown> =>
    completeNoticeFrom(sender, urls, overrides);
  const routedCase = (body: Record<string, unknown>): Promise<{ reference: string; caseId: string }> =>
    fileRoutedCase(api, client, prefix, body);
  const auditOf = (caseId: string) => auditTrail(client, caseId);
  const auditWords = (caseId: string) => auditTrailWithTexts(client, caseId);
  const statusOf = async (caseId: string): Promise<string> =>
    (await client.query(`SELECT status FROM cases WHERE id = $1`, [caseId])).rows[0].status;
  const linksOf = async (caseId: string): Promise<{ id: string; url: string; status: string }[]> =>
    (await client.query(`SELECT id, url, status FROM reported_links WHERE case_id = $1 ORDER BY position`, [caseId]))
      .rows;

  it('serves the queue and the case page privately and without script, and filters the queue', async () => {
    const deficient = await routedCase(notice([`https://example.com/software/pg-${prefix}-a`], { goodFaith: false }));
    const complete = await routedCase(notice([`https://example.com/software/pg-${prefix}-b`]));

    const all = await asLegal.get(`/staff?q=${encodeURIComponent(sender)}`);
    expect(all.status).toBe(200);
    expectStaffHeaders(all);
    expect(all.html).toContain(`href="/staff/cases/${deficient.reference}"`);
    expect(all.html).toContain(`href="/staff/cases/${complete.reference}"`);
    expect(all.html).toContain(`You are signed in as ${legal.name}`);
    expect(postForms(all.html)).toEqual(['/staff/logout', '/staff/bulk']);

    // A bare visit opens on the open cases, nearest deadline first; the form shows that filter.
    const bare = await asLegal.get('/staff');
    for (const open of ['received', 'needs_info', 'in_review']) expect(bare.html).toMatch(`value="${open}" checked`);
    expect(bare.html).not.toMatch(/value="closed" checked/);
    expect(bare.html).toMatch(/<option value="due" selected>/);

    const deficientOnly = await asLegal.get(`/staff?q=${encodeURIComponent(sender)}&missing=any&sort=newest`);
    expect(deficientOnly.html).toContain(deficient.reference);
    expect(deficientOnly.html).not.toContain(complete.reference);
    // The form shows the filters back, and the bulk form carries them to come back to.
    expect(deficientOnly.html).toMatch(/<option value="any" selected>/);
    expect(deficientOnly.html).toContain('name="back" value="missing&#x3D;any&amp;q&#x3D;pages-');

    const inReview = await asLegal.get(`/staff?q=${encodeURIComponent(sender)}&status=in_review&status=received`);
    expect(inReview.html).toContain(complete.reference);
    expect(inReview.html).not.toContain(deficient.reference);
    expect(inReview.html).toMatch(/value="in_review" checked/);

    const bad = await asLegal.get(`/staff?q=${encodeURIComponent(sender)}&status=lost&sort=sideways`);
    expect(bad.status).toBe(400);
    expect(bad.html).toContain('Some filters were not understood');
    expect(bad.html).toContain(complete.reference);

    // An overdue case stands out by a class and the word, not by colour alone.
    await client.query(`UPDATE cases SET action_due_at = now() - interval '3 hours' WHERE id = $1`, [complete.caseId]);
    const overdue = await asLegal.get(`/staff?q=${encodeURIComponent(sender)}&overdue=true`);
    expect(overdue.html).toContain(complete.reference);
    expect(overdue.html).not.toContain(deficient.reference);
    const row = new RegExp(`<tr class="overdue">\\s*<td><input[^>]*value="${complete.reference}"[\\s\\S]*?</tr>`).exec(
      overdue.html,
    )?.[0];
    expect(row).toContain('<strong class="overdue-tag">Overdue</strong> <span class="small">(no decision)</span>');
    expect(row).toContain('Decide: 3 h ago');
    const late = await asLegal.get(`/staff/cases/${complete.reference}`);
    expect(late.html).toContain('<header class="case-head overdue">');
    expect(late.html).toContain('<strong class="overdue-tag">Overdue</strong>: not decided in time');

    const page = await asLegal.get(`/staff/cases/${deficient.reference}`);
    expect(page.status).toBe(200);
    expectStaffHeaders(page);
    expect(page.html).toContain('<strong>Missing</strong>');
    expect(page.html).toContain(`href="/status/`);
    // Each link says what decided its role.
    expect(page.html).toContain('infringing<br><span class="small muted">infringing URL field</span>');

    const missing = await asLegal.get('/staff/cases/DMCA-1999-000000');
    expect(missing.status).toBe(404);
    expectStaffHeaders(missing);
    expect(missing.html).toContain('No case DMCA-1999-000000.');

    const anonymous = await fetch(`${api.url}/staff/cases/${deficient.reference}`, { redirect: 'manual' });
    expect(anonymous.status).toBe(303);
    expect(anonymous.headers.get('location')).toBe('/staff/login');
  });

  it('works a complete case through its forms: note, assign, override, re-sort, approve and reject links', async () => {
    const catalog = await createCatalogPage(client, {
      targets: [`https://a.example.net/${prefix}-1.zip`, `https://a.example.net/${prefix}-2.zip`],
    });
    const other = `https://elsewhere.example.net/${prefix}/page`;
    const { reference, caseId } = await routedCase(
      notice([...catalog.downloads.map((d) => `https://example.com/d/${d.id}`), other]),
    );
    const path = `/staff/cases/${reference}`;
    await asLegal.get(path);

    let page = await asLegal.submit(`${path}/notes`, { text: 'Checked <b>both</b> downloads.\nSecond line.' });
    expect(flashOf(page.html)).toBe('Note added.');
    expect(page.html).toContain('Checked &lt;b&gt;both&lt;/b&gt; downloads.\nSecond line.');
    expect(page.html).not.toContain('<b>both</b>');
    // Shown once.
    expect(flashOf((await asLegal.get(path)).html)).toBeUndefined();

    page = await asLegal.submit(`${path}/assign`, { assigneeId: legal.id });
    expect(flashOf(page.html)).toBe(`Assigned to ${legal.name}.`);
    expect(page.html).toMatch(new RegExp(`<dt>Assignee</dt><dd>${legal.name}</dd>`));

    page = await asLegal.submit(`${path}/elements`, { element: 'signature', present: 'no', reason: 'Only a logo' });
    expect(flashOf(page.html)).toBe('Marked signature missing.');
    expect(page.html).toContain(`Marked missing by ${legal.name}`);
    expect(page.html).toContain('Checklist: missing signature');
    const refused = await asLegal.post(`${path}/approve`, {});
    expect(refused.status).toBe(409);
    expect(refused.html).toContain(`${reference} still lacks: signature.`);
    await asLegal.submit(`${path}/elements`, { element: 'signature', present: 'yes', reason: 'Typed at the end' });

    const links = await linksOf(caseId);
    const byUrl = (url: string) => links.find((l) => l.url === url) ?? { id: '', url, status: 'none' };
    const [first, second] = catalog.downloads.map((d) => byUrl(`https://example.com/d/${d.id}`));
    const otherLink = byUrl(other);
    page = await asLegal.submit(`${path}/links/${otherLink.id}/sorting`, {
      classification: 'invalid',
      provider: '',
      role: 'reference',
      reason: 'Just context, not a copy',
    });
    expect(flashOf(page.html)).toBe('Re-sorted the link as invalid.');
    expect(page.html).toContain(`re-sorted from external_other by ${legal.name}: Just context, not a copy`);

    page = await asLegal.submit(`${path}/links`, { action: 'approve', linkIds: [first.id] });
    expect(flashOf(page.html)).toMatch(/^Approved 1 link for takedown; .* The case is actioned\.$/);
    page = await asLegal.submit(`${path}/links`, {
      action: 'reject',
      linkIds: [second.id],
      templateId: '',
      reason: 'This download is licensed.',
    });
    expect(flashOf(page.html)).toBe('Rejected 1 link; the case is actioned. The letter to the sender is queued.');
    const noneTicked = await asLegal.post(`${path}/links`, { action: 'approve' });
    expect(noneTicked.status).toBe(422);
    expect(noneTicked.html).toContain('Tick at least one link first.');

    // The worker's part (taken_down) is the browser test's to watch; here, what the forms did.
    const statusOfLink = async (id: string) => (await linksOf(caseId)).find((l) => l.id === id)?.status;
    expect(['approved', 'taken_down']).toContain(await statusOfLink(first.id));
    expect(await statusOfLink(second.id)).toBe('rejected');
    expect(await statusOfLink(otherLink.id)).toBe('ignored');
    const mine = (await auditOf(caseId)).filter((e) => e.actor === legal.id);
    expect(mine.map((e) => e.action)).toEqual([
      'note.added',
      'case.assigned',
      'element.overridden',
      'element.overridden',
      'link.sorting_overridden',
      'case.transitioned',
      'takedowns.approved',
      'links.rejected',
    ]);
    // The log keeps ids: the note's words are in case_texts, the assignee is an account id.
    expect(mine[0].detail).toEqual({ noteText: expect.stringMatching(/^[0-9a-f-]{36}$/) });
    expect(mine[1].detail).toEqual({ from: null, to: legal.id });
    const words = (await auditWords(caseId)).filter((e) => e.actor === legal.id);
    expect(words[0].detail).toEqual({ noteText: 'Checked <b>both</b> downloads.\nSecond line.' });
    expect(words[7].detail).toMatchObject({ reasonText: 'This download is licensed.', links: [second.url] });
    // Restoring needs a taken-down link and a reason: the form says so rather than acting.
    const notYet = await asLegal.post(`${path}/links`, { action: 'restore', linkIds: [second.id], reason: 'x' });
    expect(notYet.status).toBe(409);
    expect(notYet.html).toContain('only a taken-down link can be restored');
    const noReason = await asLegal.post(`${path}/links`, { action: 'restore', linkIds: [second.id] });
    expect(noReason.status).toBe(422);
    expect(noReason.html).toContain('Write why the links are put back');
    const done = await asLegal.get(path);
    expect(done.html).toContain('Takedowns approved');
    expect(done.html).toContain('Links rejected');
    expect(done.html).toMatch(/<td>rejection<\/td>/);
  });

  it('asks for information, refuses what the workflow forbids with 409, and rejects a case with a template', async () => {
    const { reference, caseId } = await routedCase(
      notice([`https://example.com/software/pg-${prefix}-info`], { goodFaith: false }),
    );
    const path = `/staff/cases/${reference}`;
    let page = await asLegal.get(path);
    expect(await statusOf(caseId)).toBe('needs_info');
    // The missing element is ticked for the request already.
    expect(page.html).toMatch(/name="elements" value="good_faith" checked/);
    expect(page.html).not.toMatch(/name="elements" value="signature" checked/);

    page = await asLegal.submit(`${path}/transition`, { to: 'in_review', reason: '' });
    expect(flashOf(page.html)).toBe('Moved to in_review.');
    page = await asLegal.submit(`${path}/request-info`, {
      elements: ['good_faith'],
      message: 'Please add the good-faith statement & sign again.',
    });
    expect(flashOf(page.html)).toBe(
      'Asked the sender for more information; the case is needs_info. The letter to the sender is queued.',
    );
    expect(page.html).toContain('Please add the good-faith statement &amp; sign again.');
    const letters = await client.query(`SELECT text FROM letters WHERE case_id = $1 AND kind = 'deficiency'`, [caseId]);
    const texts = await openedAll(
      client,
      letters.rows.map((r) => r.text),
    );
    expect(texts.join('\n')).toContain('Please add the good-faith statement & sign again.');

    // needs_info may not be rejected without a reason; what was typed stays in the form.
    const typed = await asLegal.post(`${path}/transition`, { to: 'withdrawn', reason: '' });
    expect(typed.status).toBe(409);
    expect(typed.html).toContain('A case going from needs_info to withdrawn needs a reason.');
    const jump = await asLegal.post(`${path}/transition`, { to: 'closed', reason: 'done' });
    expect(jump.status).toBe(409);
    expect(jump.html).toContain('A case cannot go from needs_info to closed');
    const badStatus = await asLegal.post(`${path}/transition`, { to: 'lost' });
    expect(badStatus.status).toBe(422);
    const emptyNote = await asLegal.post(`${path}/notes`, { text: '  ' });
    expect(emptyNote.status).toBe(422);
    expect(emptyNote.html).toContain('Write the note first.');

    const { rows } = await client.query(`SELECT id, body FROM reason_templates WHERE title = 'Not on our site'`);
    page = await asLegal.submit(`${path}/reject`, { templateId: rows[0].id, reason: '' });
    expect(flashOf(page.html)).toBe('Rejected the case; the case is rejected. The letter to the sender is queued.');
    expect(await statusOf(caseId)).toBe('rejected');
    const actions = (await auditWords(caseId)).filter((e) => e.actor === legal.id);
    expect(actions.map((e) => e.action)).toEqual([
      'case.transitioned',
      'case.transitioned',
      'info.requested',
      'case.transitioned',
      'case.rejected',
    ]);
    expect(actions[4].detail).toMatchObject({ reasonText: rows[0].body, template: 'Not on our site' });
    expect(actions[2].detail).toEqual({
      elements: ['good_faith'],
      messageText: 'Please add the good-faith statement & sign again.',
    });
    // A rejected case only reopens.
    expect(postForms((await asLegal.get(path)).html)).toContain(`${path}/transition`);
    expect((await asLegal.get(path)).html).toMatch(/<select id="transition-to" name="to"><option value="in_review">/);
  });

  it('approves every pending link of a case, and acts on many cases from the queue with a result for each', async () => {
    const catalog = await createCatalogPage(client);
    const a = await routedCase(notice([`https://example.com/d/${catalog.downloads[0].id}`]));
    const b = await routedCase(notice([`https://example.com/software/pg-${prefix}-bulk`]));
    await asLegal.get(`/staff/cases/${a.reference}`);
    const page = await asLegal.submit(`/staff/cases/${a.reference}/approve`, { reason: 'Clear copy' });
    expect(flashOf(page.html)).toMatch(/^Approved 1 link for takedown;/);
    expect((await auditWords(a.caseId)).find((e) => e.action === 'takedowns.approved')).toMatchObject({
      actor: legal.id,
      detail: { reasonText: 'Clear copy' },
    });

    const back = `q=${encodeURIComponent(sender)}&sort=newest`;
    await asLegal.get(`/staff?${back}`);
    const assigned = await asLegal.post('/staff/bulk', {
      back,
      action: 'assign',
      assigneeId: legal.id,
      references: [a.reference, b.reference, 'DMCA-1999-000000'],
    });
    expect(assigned.status).toBe(303);
    expect(assigned.location).toBe(`/staff?${new URLSearchParams(back).toString()}`);
    const queue = await asLegal.get(assigned.location ?? '');
    expect(flashOf(queue.html)).toBe('Assigned 2 of 3 cases.');
    expect(queue.html).toMatch(new RegExp(`${a.reference}</a></td>\\s*<td>OK: now actioned`));
    expect(queue.html).toMatch(new RegExp(`${b.reference}</a></td>\\s*<td>OK: now in_review`));
    expect(queue.html).toContain('<strong>Failed:</strong> No case DMCA-1999-000000.');
    expect((await auditOf(b.caseId)).filter((e) => e.actor === legal.id).map((e) => e.action)).toEqual([
      'case.assigned',
    ]);

    const noReason = await asLegal.post('/staff/bulk', { back, action: 'reject', references: [b.reference] });
    expect(flashOf((await asLegal.get(noReason.location ?? '')).html)).toBe(
      'Choose a reason template or write a reason to reject.',
    );
    const rejected = await asLegal.post('/staff/bulk', {
      back,
      action: 'reject',
      reason: 'Not a copy of the work.',
      references: [b.reference],
    });
    expect(flashOf((await asLegal.get(rejected.location ?? '')).html)).toBe('Rejected 1 of 1 case.');
    expect(await statusOf(b.caseId)).toBe('rejected');
    // The way back is only ever a query string of the queue.
    const away = await asLegal.post('/staff/bulk', { back: '//evil.example/x?y=1', action: 'approve', references: [] });
    expect(away.location).toMatch(/^\/staff\?/);
  });

  it('refuses a post without a valid CSRF token with 403 and changes nothing', async () => {
    const { reference, caseId } = await routedCase(notice([`https://example.com/software/pg-${prefix}-csrf`]));
    const path = `/staff/cases/${reference}`;
    await asLegal.get(path);
    const before = (await auditOf(caseId)).length;
    for (const csrf of [null, '', 'forged.token', asViewer.csrf || 'x'.repeat(32) + '.' + 'y'.repeat(43)]) {
      const res = await asLegal.post(`${path}/notes`, { text: 'planted' }, csrf);
      expect(res.status).toBe(403);
      expectStaffHeaders(res);
      expect(res.html).toContain('nothing was changed');
    }
    // The right token without its cookie, as another site's form would send it.
    const token = asLegal.csrf;
    const res = await fetch(`${api.url}${path}/notes`, {
      method: 'POST',
      redirect: 'manual',
      headers: {
        cookie: asLegal.cookie.replace(/td_csrf=[^;]*;? ?/, ''),
        'content-type': 'application/x-www-form-urlencoded',
      },
      body: new URLSearchParams({ _csrf: token, text: 'planted' }).toString(),
    });
    expect(res.status).toBe(403);
    const bulk = await asLegal.post(
      '/staff/bulk',
      { action: 'assign', assigneeId: legal.id, references: [reference] },
      null,
    );
    expect(bulk.status).toBe(403);
    expect(await auditOf(caseId)).toHaveLength(before);
  });

  it("shows a viewer no action forms and refuses a viewer's posts with 403", async () => {
    const { reference, caseId } = await routedCase(notice([`https://example.com/software/pg-${prefix}-viewer`]));
    const queue = await asViewer.get(`/staff?q=${encodeURIComponent(sender)}`);
    expect(queue.status).toBe(200);
    expect(queue.html).toContain(reference);
    expect(postForms(queue.html)).toEqual(['/staff/logout']);
    expect(queue.html).not.toContain('name="references"');

    const page = await asViewer.get(`/staff/cases/${reference}`);
    expect(page.status).toBe(200);
    expect(postForms(page.html)).toEqual(['/staff/logout']);
    expect(page.html).not.toContain('name="linkIds"');
    expect(page.html).toContain('read-only access');

    const before = (await auditOf(caseId)).length;
    for (const [action, fields] of [
      ['notes', { text: 'viewer was here' }],
      ['assign', { assigneeId: 'none' }],
      ['approve', {}],
      ['transition', { to: 'rejected', reason: 'x' }],
    ] as const) {
      const res = await asViewer.post(`/staff/cases/${reference}/${action}`, fields);
      expect({ action, status: res.status }).toEqual({ action, status: 403 });
      expect(res.headers.get('content-type')).toMatch(/^text\/html/);
    }
    expect((await asViewer.post('/staff/bulk', { action: 'approve', references: [reference] })).status).toBe(403);
    expect((await asViewer.post('/staff/admin/reasons', { title: 'x', body: 'y' })).status).toBe(403);
    expect(await auditOf(caseId)).toHaveLength(before);

    const admin = await asViewer.get('/staff/admin');
    expect(admin.status).toBe(200);
    expect(admin.html).toContain('Your API tokens');
    expect(admin.html).not.toContain('Staff accounts');
    expect(admin.html).not.toContain('Reason templates');
  });

  it('lets an admin manage accounts, tokens, reason templates and agencies from the admin page', async () => {
    let page = await asAdmin.get('/staff/admin');
    expect(page.status).toBe(200);
    expectStaffHeaders(page);
    for (const heading of ['Your API tokens', 'Reason templates', 'Staff accounts', 'Agencies']) {
      expect(page.html).toContain(heading);
    }

    // An account, made through the form; the same email again is a 409 that keeps what was typed.
    const email = `made-${uniqueId()}@staff.example.org`;
    const password = `pw-${uniqueId()}-long-enough`;
    page = await asAdmin.submit('/staff/admin/users', { email, name: 'Made <Here>', role: 'legal', password });
    expect(flashOf(page.html)).toContain(`Created Made &lt;Here&gt;&#x27;s legal account (${email})`);
    const again = await asAdmin.post('/staff/admin/users', { email, name: 'Again', role: 'legal', password });
    expect(again.status).toBe(409);
    expect(again.html).toContain(`A staff account for ${email} already exists.`);
    expect(again.html).toContain(`value="${email}"`);
    expect(again.html).not.toContain(password);
    const short = await asAdmin.post('/staff/admin/users', {
      email: `x-${email}`,
      name: 'X',
      role: 'legal',
      password: 'short',
    });
    expect(short.status).toBe(422);
    const [made] = (await client.query(`SELECT id, role FROM staff_users WHERE email = $1`, [email])).rows;
    expect(made.role).toBe('legal');

    // The new account's own token, shown once on the answer and never stored in the clear.
    const asMade = await StaffBrowser.signIn(api.url, { email, password });
    await asMade.get('/staff/admin');
    const created = await asMade.post('/staff/admin/tokens', { name: 'nightly <export>' });
    expect(created.status).toBe(201);
    expectStaffHeaders(created);
    const token = /id="created-secret" class="secret-value" value="(tdk_[A-Za-z0-9_-]{43})"/.exec(created.html)?.[1];
    expect(token).toBeDefined();
    expect(created.html).toContain('nightly &lt;export&gt;');
    const me = (auth: Record<string, string>) => fetch(`${api.url}/api/v1/staff/me`, { headers: auth });
    expect((await me({ authorization: `Bearer ${token}` })).status).toBe(200);
    expect((await asMade.get('/staff/admin')).html).not.toContain(token);

    // Role change, then disabling: sessions end and tokens stop working, for good.
    page = await asAdmin.submit(`/staff/admin/users/${made.id}`, { role: 'viewer' });
    expect(flashOf(page.html)).toBe('Made &lt;Here&gt; now has the viewer role.');
    expect((await asMade.get('/staff')).html).toContain('(viewer)');
    page = await asAdmin.submit(`/staff/admin/users/${made.id}`, { disabled: 'true' });
    expect(flashOf(page.html)).toContain('Disabled Made &lt;Here&gt;&#x27;s account');
    expect((await asMade.get('/staff')).location).toBe('/staff/login');
    expect((await me({ authorization: `Bearer ${token}` })).status).toBe(401);
    page = await asAdmin.submit(`/staff/admin/users/${made.id}`, { disabled: 'false' });
    expect(flashOf(page.html)).toContain('Enabled Made &lt;Here&gt;&#x27;s account again');
    await StaffBrowser.signIn(api.url, { email, password });
    expect((await me({ authorization: `Bearer ${token}` })).status).toBe(401);
    const audit = await client.query(`SELECT revoked_at FROM api_tokens WHERE user_id = $1`, [made.id]);
    expect(audit.rows.every((r) => r.revoked_at !== null)).toBe(true);

    // Revoking one's own token from the page.
    await asLegal.get('/staff/admin');
    const mine = await asLegal.post('/staff/admin/tokens', { name: 'to revoke' });
    const plain = /value="(tdk_[^"]+)"/.exec(mine.html)?.[1] ?? '';
    const [row] = (
      await client.query(`SELECT id FROM api_tokens WHERE user_id = $1 AND name = 'to revoke'`, [legal.id])
    ).rows;
    page = await asLegal.submit(`/staff/admin/tokens/${row.id}/revoke`, {});
    expect(flashOf(page.html)).toBe('The token is revoked: it no longer works.');
    expect((await me({ authorization: `Bearer ${plain}` })).status).toBe(401);

    // Legal staff keep the reason templates; only admins manage accounts.
    expect(page.html).toContain('Reason templates');
    expect(page.html).not.toContain('Staff accounts');
    expect(
      (await asLegal.post('/staff/admin/users', { email: `n-${email}`, name: 'N', role: 'admin', password })).status,
    ).toBe(403);
    const title = `Licensed ${prefix}`;
    page = await asLegal.submit('/staff/admin/reasons', { title, body: 'The uploader holds a licence.' });
    expect(flashOf(page.html)).toBe(`Added the reason template &quot;${title}&quot;.`);
    const [template] = (await client.query(`SELECT id FROM reason_templates WHERE title = $1`, [title])).rows;
    page = await asLegal.submit(`/staff/admin/reasons/${template.id}`, {
      title,
      body: 'The uploader showed a licence.',
    });
    expect(page.html).toContain('The uploader showed a licence.');
    const duplicate = await asLegal.post('/staff/admin/reasons', { title, body: 'again' });
    expect(duplicate.status).toBe(409);
    page = await asLegal.submit(`/staff/admin/reasons/${template.id}/archive`, {});
    expect(flashOf(page.html)).toMatch(/^Archived the reason template/);
    const { rows: archived } = await client.query(`SELECT archived_at FROM reason_templates WHERE id = $1`, [
      template.id,
    ]);
    expect(archived[0].archived_at).not.toBeNull();
    // An archived template is no longer offered on the case page.
    const someCase = (await client.query(`SELECT reference FROM cases ORDER BY created_at DESC LIMIT 1`)).rows[0];
    expect((await asLegal.get(`/staff/cases/${someCase.reference}`)).html).not.toContain(title);

    // Agencies: the key shown once, then revoked.
    await asAdmin.get('/staff/admin');
    const agency = await asAdmin.post('/staff/admin/agencies', {
      name: `Agency ${prefix}`,
      contactEmail: `notices-${prefix}@agency.example.org`,
    });
    expect(agency.status).toBe(201);
    const key = /value="(tda_[A-Za-z0-9_-]{43})"/.exec(agency.html)?.[1];
    expect(key).toBeDefined();
    const [agencyRow] = (await client.query(`SELECT id FROM agencies WHERE name = $1`, [`Agency ${prefix}`])).rows;
    page = await asAdmin.submit(`/staff/admin/agencies/${agencyRow.id}/revoke`, {});
    expect(flashOf(page.html)).toBe('Revoked the agency&#x27;s key; its cases stay.');
    const { rows: revoked } = await client.query(`SELECT revoked_at FROM agencies WHERE id = $1`, [agencyRow.id]);
    expect(revoked[0].revoked_at).not.toBeNull();

    // The account log says who did each of these, and cannot be edited.
    const log = await client.query(
      `SELECT actor, action, detail FROM account_events WHERE subject_id = ANY($1::uuid[]) ORDER BY id`,
      [[made.id, agencyRow.id]],
    );
    expect(
      log.rows.map((e) => [e.actor === admin.id ? 'admin' : e.actor === made.id ? 'made' : e.actor, e.action]),
    ).toEqual([
      ['admin', 'staff.created'],
      ['made', 'staff.signed_in'],
      ['made', 'token.created'],
      ['admin', 'staff.updated'],
      ['admin', 'staff.updated'],
      ['admin', 'staff.updated'],
      ['made', 'staff.signed_in'],
      ['admin', 'agency.created'],
      ['admin', 'agency.revoked'],
    ]);
    expect(log.rows[3].detail).toEqual({
      from: { role: 'legal', disabled: false },
      to: { role: 'viewer', disabled: false },
    });
    const adminPage = await asAdmin.get('/staff/admin');
    expect(adminPage.html).toContain('Account log');
    expect(adminPage.html).toContain('agency.revoked');
    await expect(client.query(`DELETE FROM account_events WHERE subject_id = $1`, [made.id])).rejects.toThrow(
      'append-only',
    );
    const events = await fetch(`${api.url}/api/v1/staff/account-events`, {
      headers: { authorization: `Bearer ${admin.token}` },
    });
    expect(((await events.json()) as { action: string }[]).map((e) => e.action)).toContain('agency.revoked');
  });

  it('lists and changes staff accounts through the JSON API, for admins only', async () => {
    const target = await createStaff(client, 'viewer');
    const call = (who: StaffFixture, method: string, path: string, body?: unknown) =>
      fetch(`${api.url}/api/v1/staff${path}`, {
        method,
        headers: { authorization: `Bearer ${who.token}`, 'content-type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
    const list = await call(admin, 'GET', '/users');
    expect(list.status).toBe(200);
    const users = (await list.json()) as any[];
    expect(users.find((u) => u.id === target.id)).toMatchObject({
      email: target.email,
      role: 'viewer',
      disabledAt: null,
      createdAt: expect.any(String),
    });
    expect(users[0]).not.toHaveProperty('passwordHash');
    expect((await call(legal, 'GET', '/users')).status).toBe(403);
    expect((await call(legal, 'PATCH', `/users/${target.id}`, { role: 'admin' })).status).toBe(403);

    const promoted = await call(admin, 'PATCH', `/users/${target.id}`, { role: 'legal' });
    expect(promoted.status).toBe(200);
    expect(await promoted.json()).toMatchObject({ id: target.id, role: 'legal', disabledAt: null });
    const session = await signIn(api.url, target);
    const disabled = await call(admin, 'PATCH', `/users/${target.id}`, { disabled: true });
    expect(((await disabled.json()) as any).disabledAt).toEqual(expect.any(String));
    expect((await call(target, 'GET', '/users')).status).toBe(401);
    expect((await fetch(`${api.url}/api/v1/staff/me`, { headers: { cookie: session } })).status).toBe(401);
    const { rows } = await client.query(`SELECT count(*)::int AS n FROM staff_sessions WHERE user_id = $1`, [
      target.id,
    ]);
    expect(rows[0].n).toBe(0);
    expect((await call(admin, 'PATCH', `/users/${target.id}`, { role: 'root' })).status).toBe(400);
    expect(
      (await call(admin, 'PATCH', '/users/00000000-0000-4000-8000-000000000000', { disabled: false })).status,
    ).toBe(404);
    // A cookie-only PATCH must be JSON, like every other API change.
    const form = await fetch(`${api.url}/api/v1/staff/users/${target.id}`, {
      method: 'PATCH',
      headers: { cookie: asAdmin.cookie, 'content-type': 'application/x-www-form-urlencoded' },
      body: 'disabled=false',
    });
    expect(form.status).toBe(403);
  });
});
