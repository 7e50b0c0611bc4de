import type { TestingModule } from '@nestjs/testing';
import type { Client } from 'pg';
import { TEST_REDIS_URL } from './support/env';
import { completeNoticeFrom, createCatalogPage, postJson } from './support/factories';
import {
  auditTrail,
  db,
  drain,
  fileRoutedCase,
  type RunningApi,
  startApi,
  startMailWorker,
  uniqueId,
  uniquePrefix,
  waitFor,
} from './support/harness';
import { SmtpSink } from './support/smtp-sink';
import { StaffBrowser } from './support/staff-browser';
import { createStaff, signIn, type StaffFixture } from './support/staff';

jest.setTimeout(120_000);

/**
 * Notifiers end to end (issue 13 §3): their counts after a rejection and a retraction, a bad-faith sign (a notice
 * naming the sender's own upload) shown and not acted on, a warning and a suspension by staff with their letters,
 * a suspended notifier's notice kept and not processed, and the suspension lifted. Real Postgres, Redis, SMTP, the
 * worker and the built-in catalog.
 */
describe('notifiers', () => {
  const prefix = uniquePrefix();
  let client: Client;
  let api: RunningApi;
  let worker: TestingModule;
  let sink: SmtpSink;
  let legal: StaffFixture;
  let viewer: StaffFixture;

  beforeAll(async () => {
    client = await db();
    sink = await new SmtpSink().start();
    const env = { QUEUE_PREFIX: prefix, SMTP_URL: sink.url, PUBLIC_LICENCE_PAGES: '/software/free-, /software/gpl-' };
    worker = await startMailWorker(env);
    api = await startApi(env);
    legal = await createStaff(client, 'legal');
    viewer = await createStaff(client, 'viewer');
  });

  afterAll(async () => {
    await worker?.close();
    await api?.close();
    await sink?.stop();
    await client?.end();
  });

  const staff = (who: StaffFixture = legal) => ({ authorization: `Bearer ${who.token}` });
  const getJson = async (path: string, who: StaffFixture = legal) => {
    const res = await fetch(api.url + path, { headers: staff(who) });
    return { status: res.status, body: (await res.json()) as any };
  };
  const download = async (id: string) => (await fetch(`${api.url}/d/${id}`, { redirect: 'manual' })).status;
  const sender = () => `notifier-${uniqueId()}@rights.test`;
  const caseOf = (reference: string) => getJson(`/api/v1/staff/cases/${reference}/notifier`);
  const mailTo = (email: string, subject: string) =>
    waitFor(`a letter to ${email} about "${subject}"`, async () => {
      await drain(client, TEST_REDIS_URL, prefix);
      return sink.to(email).find((m) => m.parsed.subject?.includes(subject));
    });
  const staffPage = async (path: string) => {
    const res = await fetch(api.url + path, { headers: { cookie: await signIn(api.url, viewer) } });
    expect(res.status).toBe(200);
    return (await res.text()).replace(/\s+/g, ' ');
  };
  const takedowns = async (caseId: string) =>
    (await client.query(`SELECT count(*)::int AS n FROM takedowns WHERE case_id = $1`, [caseId])).rows[0].n;

  it('counts a notifier’s notices, rejections and retractions, and lists it by rejected share', async () => {
    const email = sender();
    const missing = await fileRoutedCase(
      api,
      client,
      prefix,
      completeNoticeFrom(email, [`https://example.com/software/nothing-${uniqueId()}`]),
    );
    const rejected = await postJson(
      api.url,
      `/api/v1/staff/cases/${missing.reference}/reject`,
      { reason: 'Not on our site' },
      staff(),
    );
    expect(rejected.status).toBe(200);

    const page = await createCatalogPage(client);
    const removed = await fileRoutedCase(
      api,
      client,
      prefix,
      completeNoticeFrom(email, [`https://example.com/d/${page.downloads[0].id}`]),
    );
    await drain(client, TEST_REDIS_URL, prefix);
    await waitFor('the download to be removed', async () => (await download(page.downloads[0].id)) === 451);
    const retracted = await postJson(
      api.url,
      `/api/v1/staff/cases/${removed.reference}/retraction`,
      { reason: 'The complainant wrote to retract it' },
      staff(),
    );
    expect(retracted.status).toBeLessThan(300);

    const { body } = await caseOf(removed.reference);
    expect(body.notifier.key).toMatch(/^email:/);
    expect(body.notifier.key).not.toContain('@');
    expect(body.notifier).toMatchObject({
      sent: 2,
      rejected: 1,
      retracted: 1,
      counterNoticed: 0,
      restored: 0,
      rejectedShare: 0.5,
      standing: 'good',
    });
    const listed = await getJson('/api/v1/staff/notifiers?sort=rejected_share', viewer);
    expect(listed.status).toBe(200);
    const shares = listed.body.map((n: any) => n.rejectedShare);
    expect(shares).toEqual([...shares].sort((a, b) => b - a));
    // Newest first, so that the notifier is on the first page however many other tests left behind.
    const recent = await getJson('/api/v1/staff/notifiers?sort=last_notice', viewer);
    expect(recent.body.find((n: any) => n.key === body.notifier.key)).toMatchObject({ sent: 2, rejected: 1 });
    expect((await getJson('/api/v1/staff/notifiers?sort=nonsense')).status).toBe(422);

    const detail = await getJson(`/api/v1/staff/notifiers/${encodeURIComponent(body.notifier.key)}`);
    expect(detail.body.stats).toMatchObject({ sent: 2, rejected: 1, retracted: 1 });

    // The queue filters by notifier and sorts by the notifiers' rejected share.
    const key = encodeURIComponent(body.notifier.key);
    const theirs = await getJson(`/api/v1/staff/cases?notifier=${key}&perPage=100`, viewer);
    expect(theirs.status).toBe(200);
    expect(theirs.body.items.map((i: any) => i.reference).sort()).toEqual(
      [missing.reference, removed.reference].sort(),
    );
    expect(theirs.body.items[0].notifier).toEqual({ key: body.notifier.key, standing: null });
    const bad = await getJson('/api/v1/staff/cases?notifier=someone@example.com', viewer);
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.body)).toContain('notifier must be a notifier key');
    const worst = await getJson('/api/v1/staff/cases?sort=notifier_rejected&perPage=100', viewer);
    expect(worst.status).toBe(200);
    const listedShares = new Map<string, number>(listed.body.map((n: any) => [n.key, n.rejectedShare]));
    const order = worst.body.items.map((i: any) => listedShares.get(i.notifier?.key) ?? -1);
    expect(order).toEqual([...order].sort((a, b) => b - a));
    const queuePage = await staffPage(`/staff?notifier=${key}`);
    expect(queuePage).toContain(missing.reference);
    expect(queuePage).toContain("One notifier's cases");

    // The case page shows the counts; the notifiers page lists the notifier, never by its address.
    const casePage = await staffPage(`/staff/cases/${removed.reference}`);
    expect(casePage).toContain('<h2 id="h-notifier">Notifier</h2>');
    expect(casePage).toContain(
      '<td>2</td> <td>1 <span class="small">(50%)</span></td> <td>1</td> <td>0</td> <td>0</td>',
    );
    const listPage = await staffPage('/staff/notifiers?sort=last_notice');
    expect(listPage).toContain(`data-key="${body.notifier.key}"`);
    expect(listPage).not.toContain(email);
  });

  it('flags a notice naming the sender’s own upload for a person, and acts on it exactly as without the flag', async () => {
    const email = sender();
    const page = await createCatalogPage(client, { uploaderEmail: email, uploaderId: `acct-${uniqueId()}` });
    const url = `https://example.com/d/${page.downloads[0].id}`;
    const filed = await fileRoutedCase(api, client, prefix, completeNoticeFrom(email, [url]));
    await drain(client, TEST_REDIS_URL, prefix);
    // The flag changes nothing: the complete notice is acted on at once, as any other.
    await waitFor('the download to be removed', async () => (await download(page.downloads[0].id)) === 451);
    expect(await takedowns(filed.caseId)).toBe(1);
    const actions = (await auditTrail(client, filed.caseId)).map((e) => e.action);
    expect(actions).toContain('case.routed');
    expect(actions).not.toContain('case.held_for_review');
    expect(actions).not.toContain('case.held_notifier_suspended');

    const { body } = await caseOf(filed.reference);
    expect(body.badFaithSigns).toEqual(expect.arrayContaining([{ kind: 'own_uploads', urls: [url] }]));
    const casePage = await staffPage(`/staff/cases/${filed.reference}`);
    expect(casePage).toContain('The notice names uploads of its own sender');
    expect(casePage).toContain(`<code>${url}</code>`);

    // Someone else's notice for someone else's upload shows no such sign.
    const other = await createCatalogPage(client, { uploaderEmail: sender() });
    const clean = await fileRoutedCase(
      api,
      client,
      prefix,
      completeNoticeFrom(sender(), [`https://example.com/d/${other.downloads[0].id}`]),
    );
    expect((await caseOf(clean.reference)).body.badFaithSigns.map((s: any) => s.kind)).not.toContain('own_uploads');
  });

  it('flags URLs that do not exist and material on the public-licence pages, and still acts on the rest', async () => {
    const n = uniqueId();
    const { rows } = await client.query(
      `INSERT INTO software_pages (slug, title) VALUES ($1, 'A free app') RETURNING id`,
      [`free-${n}`],
    );
    await client.query(
      `INSERT INTO download_links (id, page_id, label, target_url, target_url_normalized) VALUES ($1, $2, 'x', $3, $3)`,
      [n, rows[0].id, `https://files.example-mirror.org/free-${n}.zip`],
    );
    const missing = Array.from({ length: 5 }, (_, i) => `https://example.com/software/nothing-${n}-${i}`);
    const free = `https://example.com/d/${n}`;
    const filed = await fileRoutedCase(api, client, prefix, completeNoticeFrom(sender(), [...missing, free]));
    await drain(client, TEST_REDIS_URL, prefix);
    await waitFor('the download to be removed', async () => (await download(String(n))) === 451);
    const { body } = await caseOf(filed.reference);
    expect(body.badFaithSigns).toEqual(
      expect.arrayContaining([
        { kind: 'public_licence_pages', urls: [free], prefixes: ['/software/free-', '/software/gpl-'] },
        { kind: 'many_not_found', notFound: 5, links: 6, share: 5 / 6, threshold: 0.5 },
      ]),
    );
  });

  it('warns and suspends a notifier, keeps their new notice without processing it, and lifts the suspension', async () => {
    const email = sender();
    const first = await fileRoutedCase(
      api,
      client,
      prefix,
      completeNoticeFrom(email, [`https://example.com/software/nothing-${uniqueId()}`]),
    );
    const key = (await caseOf(first.reference)).body.notifier.key as string;
    const path = `/api/v1/staff/notifiers/${encodeURIComponent(key)}`;

    expect((await postJson(api.url, `${path}/warning`, { reason: 'x' }, staff(viewer))).status).toBe(403);
    expect((await postJson(api.url, `${path}/warning`, {}, staff())).status).toBe(400);
    const warned = await postJson(
      api.url,
      `${path}/warning`,
      { reason: 'Most of your notices name free software' },
      staff(),
    );
    expect(warned.status).toBe(200);
    expect(warned.body).toMatchObject({ status: 'warned', warnings: 1 });
    const warning = await mailTo(email, 'A warning about the notices you send');
    expect(warning.parsed.text).toContain('Most of your notices name free software');

    expect((await postJson(api.url, `${path}/suspension`, { reason: 'Again' }, staff())).status).toBe(400);
    const suspended = await postJson(api.url, `${path}/suspension`, { reason: 'Unfounded again', days: 30 }, staff());
    expect(suspended.status).toBe(200);
    expect(suspended.body.status).toBe('suspended');
    await mailTo(email, 'We suspended the processing of your notices');

    // While suspended: the notice is stored (intake unchanged) and held in review, with nothing acted on.
    const page = await createCatalogPage(client);
    const held = await fileRoutedCase(
      api,
      client,
      prefix,
      completeNoticeFrom(email, [`https://example.com/d/${page.downloads[0].id}`]),
    );
    await drain(client, TEST_REDIS_URL, prefix);
    const { rows } = await client.query(`SELECT status FROM cases WHERE id = $1`, [held.caseId]);
    expect(rows[0].status).toBe('in_review');
    expect(await takedowns(held.caseId)).toBe(0);
    expect(await download(page.downloads[0].id)).not.toBe(451);
    const trail = await auditTrail(client, held.caseId);
    const standing = (await client.query(`SELECT id FROM notifier_standings WHERE notifier_key = $1`, [key])).rows[0];
    expect(trail.find((e) => e.action === 'case.held_notifier_suspended')?.detail).toMatchObject({
      standing: standing.id,
      until: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T/),
    });
    expect(trail.map((e) => e.action)).not.toContain('takedowns.scheduled');
    const heldLetter = await mailTo(email, 'Your notice is kept but not processed');
    expect(heldLetter.parsed.subject).toContain(held.reference);

    const flagged = await getJson(`/api/v1/staff/cases?notifierStanding=suspended&perPage=100`, viewer);
    expect(flagged.body.items.map((i: any) => i.reference)).toEqual(
      expect.arrayContaining([first.reference, held.reference]),
    );
    expect(flagged.body.items.every((i: any) => i.notifier.standing === 'suspended')).toBe(true);

    const detail = await getJson(path, viewer);
    expect(detail.body.standing.events.map((e: any) => [e.action, e.actor])).toEqual([
      ['warned', legal.id],
      ['suspended', legal.id],
    ]);

    const lifted = await postJson(api.url, `${path}/lift`, { reason: 'Reviewed with the agent' }, staff());
    expect(lifted.status).toBe(200);
    expect(lifted.body).toMatchObject({ status: 'warned' });
    expect((await postJson(api.url, `${path}/lift`, { reason: 'again' }, staff())).status).toBe(409);

    const after = await createCatalogPage(client);
    const routed = await fileRoutedCase(
      api,
      client,
      prefix,
      completeNoticeFrom(email, [`https://example.com/d/${after.downloads[0].id}`]),
    );
    await drain(client, TEST_REDIS_URL, prefix);
    await waitFor('the download to be removed', async () => (await download(after.downloads[0].id)) === 451);
    expect(await takedowns(routed.caseId)).toBe(1);
  });

  it("lets legal staff warn, suspend and lift from the notifier's page, and viewers only read it", async () => {
    const email = sender();
    const filed = await fileRoutedCase(
      api,
      client,
      prefix,
      completeNoticeFrom(email, [`https://example.com/software/nothing-${uniqueId()}`]),
    );
    const key = (await caseOf(filed.reference)).body.notifier.key as string;
    const path = `/staff/notifiers/${encodeURIComponent(key)}`;
    const asViewer = await StaffBrowser.signIn(api.url, viewer);
    const read = await asViewer.get(path);
    expect(read.status).toBe(200);
    expect(read.html).toContain('Its cases in the queue');
    expect(read.html).not.toContain('Warn the notifier');
    expect((await asViewer.get('/staff/notifiers/email:nobody-sent-anything-here')).status).toBe(404);

    const asLegal = await StaffBrowser.signIn(api.url, legal);
    const page = await asLegal.get(path);
    expect(page.html).toContain('Warn the notifier');
    const noReason = await asLegal.post(`${path}/warning`, { reason: '' });
    expect(noReason.status).toBe(422);
    expect(noReason.html).toContain('Write why, in Reason');
    const warned = await asLegal.submit(`${path}/warning`, { reason: 'Three notices about free software' });
    expect(warned.html).toContain('Warned (warning 1)');
    await mailTo(email, 'A warning about the notices you send');
    const badDays = await asLegal.post(`${path}/suspension`, { reason: 'Again', days: 'soon' });
    expect(badDays.status).toBe(422);
    expect(badDays.html).toContain('days must be a whole number of days, from 1 to 3,650');
    const suspended = await asLegal.submit(`${path}/suspension`, { reason: 'Unfounded again', days: '14' });
    expect(suspended.html).toMatch(/Suspended until \d{4}-\d{2}-\d{2}/);
    expect(suspended.html).toContain('Lift the suspension');
    const lifted = await asLegal.submit(`${path}/lift`, { reason: 'Reviewed with the agent' });
    expect(lifted.html).toContain('Suspension lifted');
    expect(lifted.html).toContain('“Reviewed with the agent”');
    const liftLetter = await mailTo(email, 'Your notices are processed again');
    expect(liftLetter.parsed.text).toContain('Reviewed with the agent');
    const detail = await getJson(`/api/v1/staff/notifiers/${encodeURIComponent(key)}`, viewer);
    expect(detail.body.standing.events.map((e: any) => e.action)).toEqual(['warned', 'suspended', 'lifted']);
  });
});
