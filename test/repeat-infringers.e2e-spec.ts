import { Test, type TestingModule } from '@nestjs/testing';
import type { Client } from 'pg';
import { CLOCK } from '../src/core/clock';
import { MAIL_DNS_RESOLVER } from '../src/email-intake/sender-auth.service';
import { WorkerModule } from '../src/worker.module';
import { applyTestEnv, TEST_REDIS_URL } from './support/env';
import { completeNoticeFrom, createCatalogPage, postJson } from './support/factories';
import { db, drain, type RunningApi, startApi, uniqueId, uniquePrefix, waitFor } from './support/harness';
import { fakeResolver } from './support/mail-fixtures';
import { SmtpSink } from './support/smtp-sink';
import { createStaff, type StaffFixture } from './support/staff';
import { StaffBrowser } from './support/staff-browser';

jest.setTimeout(120_000);

const DAY = 24 * 60 * 60 * 1000;

/**
 * The repeat-infringer policy end to end (17 U.S.C. 512(i)): strikes counted per notice and uploader account as the
 * worker removes links, warnings in the removal letters, the recommendation at the threshold, a person's approval,
 * the catalog answering 451 for the terminated uploader, the letters, reinstatement; a retraction voiding a strike;
 * expiry with the clock moved. Real Postgres, Redis, SMTP, the worker and the built-in catalog.
 */
describe('repeat infringers', () => {
  const prefix = uniquePrefix();
  const complainant = `rights-${uniqueId()}@holder.test`;
  const clock = { offsetMs: 0 };
  const now = () => new Date(Date.now() + clock.offsetMs);
  let client: Client;
  let api: RunningApi;
  let worker: TestingModule;
  let sink: SmtpSink;
  let legal: StaffFixture;
  let viewer: StaffFixture;

  beforeAll(async () => {
    client = await db();
    sink = await new SmtpSink().start();
    const env = { QUEUE_PREFIX: prefix, SMTP_URL: sink.url, STRIKE_THRESHOLD: '3', STRIKE_EXPIRY_DAYS: '90' };
    applyTestEnv(env);
    worker = await Test.createTestingModule({ imports: [WorkerModule] })
      .overrideProvider(MAIL_DNS_RESOLVER)
      .useValue(fakeResolver)
      .overrideProvider(CLOCK)
      .useValue(now)
      .compile();
    worker.useLogger(['error']);
    await worker.init();
    api = await startApi(env, { clock: now });
    legal = await createStaff(client, 'legal');
    viewer = await createStaff(client, 'viewer');
  });

  afterAll(async () => {
    await worker?.close();
    await api?.close();
    await sink?.stop();
    await client?.end();
  });

  const staff = (who: StaffFixture) => ({ authorization: `Bearer ${who.token}` });
  const getJson = async (path: string, who: StaffFixture = legal) => {
    const res = await fetch(api.url + path, { headers: staff(who) });
    return { status: res.status, body: (await res.json()) as any };
  };
  const status = async (path: string) => (await fetch(`${api.url}${path}`, { redirect: 'manual' })).status;

  /** An uploader account with pages of its own in the catalog. */
  const uploaderAccount = () => {
    const n = uniqueId();
    return { id: `acct-${n}`, email: `uploader-${n}@site-user.test` };
  };

  /** Files a complete notice naming one new download of the uploader's, and waits until it is removed. */
  const removeOneOf = async (who: { id: string; email: string }) => {
    const page = await createCatalogPage(client, { uploaderEmail: who.email, uploaderId: who.id });
    const url = `https://example.com/d/${page.downloads[0].id}`;
    const filed = await postJson(api.url, '/api/v1/notices', completeNoticeFrom(complainant, [url]));
    expect(filed.status).toBe(201);
    await drain(client, TEST_REDIS_URL, prefix);
    await waitFor('the download to be removed', async () => (await status(`/d/${page.downloads[0].id}`)) === 451);
    return { page, url, ...(filed.body as { caseId: string; reference: string; statusUrl: string }) };
  };

  /** The uploader's removal letter for a case, once the mail worker has sent it. */
  const uploaderLetter = async (email: string, reference: string) => {
    await drain(client, TEST_REDIS_URL, prefix);
    const mine = () =>
      sink.to(email).find((m) => m.parsed.subject?.includes(reference) && m.parsed.subject?.includes('was removed'));
    return waitFor(`the uploader's letter for ${reference}`, () => Promise.resolve(mine()));
  };
  const textOf = (mail: { parsed: { text?: string } }) => (mail.parsed.text ?? '').replace(/\s+/g, ' ');

  it('warns on the first two strikes, recommends at the third, and terminates only when a person approves', async () => {
    const who = uploaderAccount();
    const first = await removeOneOf(who);
    expect(textOf(await uploaderLetter(who.email, first.reference))).toContain(
      'Your account now has 1 active strike(s). At 3 active strikes our staff review',
    );
    const second = await removeOneOf(who);
    const secondLetter = textOf(await uploaderLetter(who.email, second.reference));
    expect(secondLetter).toContain('Your account now has 2 active strike(s)');
    // Art. 17: the removal letter states its reasons, and every way to contest it.
    expect(secondLetter).toContain('Statement of reasons (EU Digital Services Act, Art. 17)');
    expect(secondLetter).toContain('out-of-court dispute settlement body (Art. 21)');
    expect((await getJson('/api/v1/staff/uploaders')).body.map((u: any) => u.uploaderId)).not.toContain(who.id);

    const third = await removeOneOf(who);
    expect(textOf(await uploaderLetter(who.email, third.reference))).toContain(
      "your account now has 3 active strikes, the policy's threshold of 3",
    );
    const queue = await getJson('/api/v1/staff/uploaders');
    expect(queue.body.find((u: any) => u.uploaderId === who.id)).toMatchObject({
      status: 'recommended',
      activeStrikes: 3,
      recommendedStrikes: 3,
      lastCase: third.reference,
    });
    // A strike is one per notice and account: nothing else counted.
    const { rows } = await client.query(`SELECT count(*)::int AS n FROM strikes WHERE uploader_id = $1`, [who.id]);
    expect(rows[0].n).toBe(3);

    // Nothing is suspended until a person approves, and a viewer may not.
    const unrelated = await createCatalogPage(client, { uploaderEmail: who.email, uploaderId: who.id });
    expect(await status(`/software/${unrelated.slug}`)).toBe(200);
    const refused = await postJson(
      api.url,
      `/api/v1/staff/uploaders/${who.id}/termination`,
      { reason: 'x' },
      staff(viewer),
    );
    expect(refused.status).toBe(403);
    const noReason = await postJson(api.url, `/api/v1/staff/uploaders/${who.id}/termination`, {}, staff(legal));
    expect(noReason.status).toBe(400);

    const approved = await postJson(
      api.url,
      `/api/v1/staff/uploaders/${who.id}/termination`,
      { reason: 'Three notices in a month, none contested' },
      staff(legal),
    );
    expect(approved.status).toBe(200);
    expect(approved.body).toMatchObject({ status: 'suspended', suspendedStrikes: 3, suspendedBy: legal.id });
    const reference = approved.body.suspensionReference as string;
    expect(reference).toMatch(/^TERM-\d{4}-[0-9A-F]{8}$/);
    // The catalog hides every page of theirs and answers 451 for every download, even one no notice named.
    expect(await status(`/software/${unrelated.slug}`)).toBe(451);
    expect(await status(`/d/${unrelated.downloads[0].id}`)).toBe(451);
    const page = await fetch(`${api.url}/software/${unrelated.slug}`, { headers: { 'accept-language': 'zh-CN' } });
    expect(page.headers.get('link')).toContain('/policy/repeat-infringers');
    expect(await page.text()).toContain('重复侵权政策');
    const again = await postJson(
      api.url,
      `/api/v1/staff/uploaders/${who.id}/termination`,
      { reason: 'again' },
      staff(legal),
    );
    expect(again.status).toBe(409);

    await drain(client, TEST_REDIS_URL, prefix);
    const termination = await waitFor('the termination letter', () =>
      Promise.resolve(sink.to(who.email).find((m) => m.parsed.subject?.includes(reference))),
    );
    expect(termination.parsed.subject).toContain('terminated under our repeat-infringer policy');
    const terminationText = textOf(termination);
    expect(terminationText).toContain('Your account had 3 active strikes');
    expect(terminationText).toContain('within six months, Art. 20');
    expect(terminationText).toMatch(/Complain from your page: http:\/\/\S+\/uploader\/[A-Za-z0-9_-]{20,}/);

    // The uploader's page lists the active strikes and when each expires.
    const token = /\/uploader\/([A-Za-z0-9_-]{20,})/.exec(terminationText)![1];
    const mine: any = await (await fetch(`${api.url}/api/v1/uploader/${token}`)).json();
    expect(mine.strikes).toMatchObject({ active: 3, threshold: 3, status: 'suspended' });
    expect(mine.strikes.items).toHaveLength(3);
    expect(new Date(mine.strikes.items[0].expiresAt).getTime()).toBeGreaterThan(now().getTime() + 89 * DAY);

    // The audit: the worker recommended, a named person decided.
    const detail = await getJson(`/api/v1/staff/uploaders/${who.id}`, viewer);
    expect(detail.body.events.map((e: any) => [e.action, e.actor])).toEqual([
      ['termination_recommended', 'worker'],
      ['suspended', legal.id],
    ]);

    const back = await postJson(
      api.url,
      `/api/v1/staff/uploaders/${who.id}/reinstatement`,
      { reason: 'Licence shown' },
      staff(legal),
    );
    expect(back.status).toBe(200);
    expect(back.body.status).toBe('good');
    expect(await status(`/software/${unrelated.slug}`)).toBe(200);
    expect(await status(`/d/${unrelated.downloads[0].id}`)).toBe(302);
    // Downloads removed for their own notices stay removed.
    expect(await status(`/d/${first.page.downloads[0].id}`)).toBe(451);
    await drain(client, TEST_REDIS_URL, prefix);
    await waitFor('the reinstatement letter', () =>
      Promise.resolve(sink.to(who.email).some((m) => m.parsed.subject?.includes('was reinstated'))),
    );
  });

  it('voids the strike of a retracted notice, so the third notice does not reach the threshold', async () => {
    const who = uploaderAccount();
    await removeOneOf(who);
    const second = await removeOneOf(who);
    const token = second.statusUrl.split('/').pop();
    const retracted = await postJson(api.url, `/api/v1/status/${token}/retract`, { reason: 'Licensed after all' });
    expect(retracted.status).toBe(200);
    await drain(client, TEST_REDIS_URL, prefix);
    await waitFor('the strike to be voided', async () => {
      const { rows } = await client.query(`SELECT void_reason FROM strikes WHERE case_id = $1`, [second.caseId]);
      return rows[0]?.void_reason === 'retracted';
    });
    const third = await removeOneOf(who);
    expect(textOf(await uploaderLetter(who.email, third.reference))).toContain(
      'Your account now has 2 active strike(s)',
    );
    const queue = await getJson('/api/v1/staff/uploaders');
    expect(queue.body.map((u: any) => u.uploaderId)).not.toContain(who.id);
    const detail = await getJson(`/api/v1/staff/uploaders/${who.id}`);
    expect(detail.body.strikes.find((s: any) => s.case === second.reference)).toMatchObject({
      active: false,
      voidReason: 'retracted',
    });
  });

  it('lets a strike expire after STRIKE_EXPIRY_DAYS on the clock', async () => {
    const who = uploaderAccount();
    const first = await removeOneOf(who);
    await removeOneOf(who);
    clock.offsetMs = 91 * DAY;
    try {
      const third = await removeOneOf(who);
      // The first two expired: the third is the only active strike, so the letter warns of one.
      expect(textOf(await uploaderLetter(who.email, third.reference))).toContain(
        'Your account now has 1 active strike(s)',
      );
      const detail = await getJson(`/api/v1/staff/uploaders/${who.id}`);
      expect(detail.body).toMatchObject({ status: 'good', activeStrikes: 1 });
      expect(detail.body.strikes.find((s: any) => s.case === first.reference)).toMatchObject({
        active: false,
        voidReason: null,
      });
      // Approving a termination is refused below the threshold: the policy page's rule is the one enforced.
      const refused = await postJson(
        api.url,
        `/api/v1/staff/uploaders/${who.id}/termination`,
        { reason: 'x' },
        staff(legal),
      );
      expect(refused.status).toBe(409);
    } finally {
      clock.offsetMs = 0;
    }
  });

  it('shows the recommendation in the staff pages, where a person declines it with a reason', async () => {
    const who = uploaderAccount();
    for (let i = 0; i < 3; i++) await removeOneOf(who);
    const asLegal = await StaffBrowser.signIn(api.url, legal);
    const queue = await asLegal.get('/staff');
    expect(queue.html).toMatch(/uploader termination recommendation\(s\)<\/a> wait for a decision/);
    const list = await asLegal.get('/staff/uploaders');
    expect(list.html).toContain(`/staff/uploaders/${who.id}`);
    const page = await asLegal.get(`/staff/uploaders/${who.id}`);
    expect(page.status).toBe(200);
    expect(page.html).toContain('Approve the termination');
    expect((page.html.match(/<strong>active<\/strong>/g) ?? []).length).toBe(3);

    const empty = await asLegal.post(`/staff/uploaders/${who.id}/decline`, { reason: '' });
    expect(empty.status).toBe(422);
    expect(empty.html).toContain('Write why, in Reason');
    const declined = await asLegal.submit(`/staff/uploaders/${who.id}/decline`, { reason: 'Licence under review' });
    expect(declined.html).toContain('Recommendation declined');
    expect(declined.html).not.toContain('Approve the termination');
    expect(declined.html).toContain('“Licence under review”');

    // A viewer reads the page but has no forms.
    const asViewer = await StaffBrowser.signIn(api.url, viewer);
    const read = await asViewer.get(`/staff/uploaders/${who.id}`);
    expect(read.status).toBe(200);
    expect(read.html).not.toContain('<form method="post" action="/staff/uploaders/');
    expect((await asViewer.post(`/staff/uploaders/${who.id}/reinstatement`, { reason: 'x' })).status).toBe(403);
  });

  it('states the policy the ledger enforces on a public page', async () => {
    const res = await fetch(`${api.url}/policy/repeat-infringers`);
    expect(res.status).toBe(200);
    const html = (await res.text()).replace(/\s+/g, ' ');
    expect(html).toContain('A strike counts for 90 days after the removal');
    expect(html).toContain('At 3 active strikes, our staff are asked to decide');
    expect(await (await fetch(`${api.url}/api/v1/policy/repeat-infringers`)).json()).toMatchObject({
      threshold: 3,
      expiryDays: 90,
      terminationDecidedBy: 'staff',
    });
  });
});
