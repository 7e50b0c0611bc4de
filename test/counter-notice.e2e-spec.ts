import { Test, type TestingModule } from '@nestjs/testing';
import { CLOCK } from '../src/core/clock';
import { MAIL_DNS_RESOLVER } from '../src/email-intake/sender-auth.service';
import { CounterNoticeRestorer } from '../src/takedowns/counter-notice-restorer';
import { WorkerModule } from '../src/worker.module';
import type { Client } from 'pg';
import { TEST_REDIS_URL } from './support/env';
import { completeNoticeFrom, createCatalogPage, postJson } from './support/factories';
import {
  auditTrail,
  auditTrailWithTexts,
  db,
  drain,
  type RunningApi,
  startApi,
  uniqueId,
  uniquePrefix,
  waitFor,
} from './support/harness';
import { compose, fakeResolver, freePort, sendRaw } from './support/mail-fixtures';
import { SmtpSink } from './support/smtp-sink';
import { createStaff } from './support/staff';
import { applyTestEnv } from './support/env';

jest.setTimeout(90_000);

const INTAKE = 'dmca@example.com';

/**
 * Counter-notices by the JSON API against a case whose download the worker took down: the 512(g)(3) checklist, the
 * case found by reference or by URL, what is wrong said and kept, and the forward to the complainant and the
 * receipt to the counter-notifier with the 512(g)(2)(C) dates. Real Postgres, Redis, SMTP and worker.
 */
describe('counter-notices through the API', () => {
  const prefix = uniquePrefix();
  const complainant = `rights-${uniqueId()}@holder.test`;
  let client: Client;
  let worker: TestingModule;
  let api: RunningApi;
  let sink: SmtpSink;
  let port: number;
  /** How far the worker's clock runs ahead of the wall clock. */
  const clock = { offsetMs: 0 };
  const restoreAt = async (at: Date) => {
    clock.offsetMs = at.getTime() - Date.now();
    try {
      return await worker.get(CounterNoticeRestorer).restoreDue();
    } finally {
      clock.offsetMs = 0;
    }
  };
  const linkStatus = async (caseId: string, url: string) =>
    (await client.query(`SELECT status FROM reported_links WHERE case_id = $1 AND url = $2`, [caseId, url])).rows[0]
      ?.status;
  const download = async (url: string) =>
    (await fetch(url.replace('https://example.com', api.url), { redirect: 'manual' })).status;

  beforeAll(async () => {
    client = await db();
    sink = await new SmtpSink().start();
    port = await freePort();
    const env = {
      QUEUE_PREFIX: prefix,
      SMTP_URL: sink.url,
      SLA_TIMEZONE: 'UTC',
      SLA_HOLIDAYS: '',
      SMTP_LISTEN_PORT: String(port),
      SMTP_LISTEN_HOST: '127.0.0.1',
      INBOUND_ADDRESSES: INTAKE,
      MAIL_FROM: INTAKE,
    };
    // The real worker, with its clock in the test's hand: the 512(g) days pass without waiting for them.
    applyTestEnv(env);
    worker = await Test.createTestingModule({ imports: [WorkerModule] })
      .overrideProvider(MAIL_DNS_RESOLVER)
      .useValue(fakeResolver)
      .overrideProvider(CLOCK)
      .useValue(() => new Date(Date.now() + clock.offsetMs))
      .compile();
    worker.useLogger(['error']);
    await worker.init();
    api = await startApi(env);
  });

  afterAll(async () => {
    await worker?.close();
    await api?.close();
    await sink?.stop();
    await client?.end();
  });

  /** A case whose download on our site the worker has taken down. */
  const takenDown = async (uploaderEmail?: string) => {
    const page = await createCatalogPage(client, { uploaderEmail });
    const url = `https://example.com/d/${page.downloads[0].id}`;
    const filed = await postJson(api.url, '/api/v1/notices', completeNoticeFrom(complainant, [url]));
    expect(filed.status).toBe(201);
    await drain(client, TEST_REDIS_URL, prefix);
    await waitFor('the download to be taken down', async () => {
      const { rows } = await client.query(`SELECT status FROM reported_links WHERE case_id = $1 AND url = $2`, [
        filed.body.caseId,
        url,
      ]);
      return rows[0]?.status === 'taken_down';
    });
    return { url, reference: filed.body.reference as string, caseId: filed.body.caseId as string };
  };

  const uploader = () => ({
    name: 'Up Loader',
    email: `uploader-${uniqueId()}@site-user.test`,
    phone: '+1 555 0100',
    address: '1 Main Street, Springfield, IL 62701',
    country: 'US',
  });
  const complete = (url: string, who = uploader()) => ({
    counterNotifier: who,
    removedUrls: [url],
    mistakeStatement: true,
    consentToJurisdiction: true,
    signature: who.name,
  });

  it('forwards a complete counter-notice at once, with the restore window, and tells both parties', async () => {
    const { url, reference, caseId } = await takenDown();
    const who = uploader();
    const before = Date.now();
    const res = await postJson(api.url, '/api/v1/counter-notices', complete(url, who));
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ reference, caseId, status: 'forwarded', missing: [], problems: [] });
    expect(res.body.statusUrl).toMatch(/\/counter-notices\/status\/[A-Za-z0-9_-]{32}$/);
    for (const element of ['signature', 'removed_material', 'mistake_statement', 'consent_jurisdiction', 'contact']) {
      expect(res.body.checklist[element].present).toBe(true);
    }
    // Ten business days: two calendar weeks on a calendar of weekdays, whatever the day of receipt.
    const due = new Date(res.body.restoreDueAt).getTime();
    expect(due - before).toBeGreaterThanOrEqual(14 * 86_400_000 - 60_000);
    expect(due - before).toBeLessThanOrEqual(16 * 86_400_000);
    expect(new Date(res.body.restoreNotBefore).getTime()).toBe(due);
    expect(new Date(res.body.restoreNotAfter).getTime()).toBeGreaterThan(due);

    await drain(client, TEST_REDIS_URL, prefix);
    const forward = await waitFor('the forward to the complainant', () =>
      Promise.resolve(sink.to(complainant).find((m) => m.parsed.subject?.includes('counter-notice'))),
    );
    expect(forward.parsed.subject).toContain(reference);
    // 512(g)(2)(B): a copy of the counter-notice, with the counter-notifier's details.
    expect(forward.parsed.text).toContain(who.phone);
    expect(forward.parsed.text).toContain(who.address);
    expect(forward.parsed.text).toContain(url);
    const receipt = await waitFor('the receipt to the counter-notifier', () => Promise.resolve(sink.to(who.email)[0]));
    expect(receipt.parsed.text).toContain('512(f)');
    expect(receipt.parsed.text).toContain('we have sent a copy of it');
    // The counter-notifier's letter never carries the complainant's status link.
    const { rows } = await client.query(`SELECT status_token FROM cases WHERE id = $1`, [caseId]);
    expect(receipt.raw).not.toContain(rows[0].status_token);

    const status = await fetch(
      res.body.statusUrl
        .replace('http://localhost:3000', api.url)
        .replace('/counter-notices/', '/api/v1/counter-notices/'),
    );
    expect(status.status).toBe(200);
    expect(await status.json()).toMatchObject({ reference, status: 'forwarded', restoreDueAt: res.body.restoreDueAt });
    // And as a page, for a person following the link.
    const page = await fetch(res.body.statusUrl.replace('http://localhost:3000', api.url));
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain(reference);
    expect(html).toContain('forwarded');

    const actions = (await auditTrail(client, caseId)).map((e) => e.action);
    expect(actions).toEqual(expect.arrayContaining(['counter_notice.received', 'counter_notice.forwarded']));
  });

  it('finds the case by its URLs alone, and keeps a deficient counter-notice with a letter naming what it lacks', async () => {
    const { url, reference } = await takenDown();
    const who = uploader();
    const res = await postJson(api.url, '/api/v1/counter-notices', {
      counterNotifier: { name: who.name, email: who.email },
      removedUrls: [url],
      signature: who.name,
    });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ reference, status: 'needs_info' });
    expect(res.body.missing).toEqual(['mistake_statement', 'consent_jurisdiction', 'contact']);
    expect(res.body.restoreDueAt).toBeUndefined();
    await drain(client, TEST_REDIS_URL, prefix);
    const letter = await waitFor('the deficiency letter', () => Promise.resolve(sink.to(who.email)[0]));
    expect(letter.parsed.subject).toContain('cannot be acted on yet');
    expect(letter.parsed.text).toContain('under penalty of perjury');
    expect(letter.parsed.text).toContain('accept service of process');
    expect(
      sink.to(complainant).some((m) => m.parsed.subject?.includes(reference) && m.parsed.text?.includes(who.email)),
    ).toBe(false);
  });

  it('says which URLs were never taken down, and refuses one that names no case of ours', async () => {
    const { url, reference } = await takenDown();
    const stranger = `https://example.com/d/${uniqueId()}`;
    const res = await postJson(api.url, '/api/v1/counter-notices', {
      ...complete(url),
      caseReference: reference,
      removedUrls: [url, stranger],
    });
    expect(res.status).toBe(201);
    expect(res.body.status).toBe('in_review');
    expect(res.body.problems).toEqual([`${stranger} was not taken down under case ${reference}.`]);

    const none = await postJson(api.url, '/api/v1/counter-notices', complete(`https://example.com/d/${uniqueId()}`));
    expect(none.status).toBe(422);
    expect(none.body.message).toContain('caseReference');
    const bad = await postJson(api.url, '/api/v1/counter-notices', { ...complete(url), caseReference: 'case 12' });
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.body.message)).toContain('caseReference must be a case reference');
  });

  it('restores on the restore day and not the day before, and tells both parties', async () => {
    const { url, reference, caseId } = await takenDown();
    const who = uploader();
    const res = await postJson(api.url, '/api/v1/counter-notices', complete(url, who));
    expect(res.body.status).toBe('forwarded');
    const due = new Date(res.body.restoreDueAt);

    // Day 9 (a day before the restore day): nothing is put back.
    await restoreAt(new Date(due.getTime() - 86_400_000));
    expect(await linkStatus(caseId, url)).toBe('taken_down');
    expect(await download(url)).toBe(451);

    // Day 10: restored through the link door, and back on the site once the worker's restore job has run.
    // The worker's own scheduled sweep may be the one that restores it (it reads the same clock): wait for either.
    await restoreAt(new Date(due.getTime() + 60_000));
    await waitFor('the link to be restored', async () => (await linkStatus(caseId, url)) === 'restored');
    await drain(client, TEST_REDIS_URL, prefix);
    await waitFor('the download to be live again', async () => (await download(url)) === 302);
    const staff = await client.query(`SELECT status, restored_at FROM counter_notices WHERE id = $1`, [
      res.body.counterNoticeId,
    ]);
    expect(staff.rows[0].status).toBe('restored');
    await waitFor('the restoration letters', () =>
      Promise.resolve(
        sink.to(who.email).some((m) => m.parsed.subject?.includes('restored')) &&
          sink
            .to(complainant)
            .some((m) => m.parsed.subject?.includes(reference) && m.parsed.subject.includes('restored')),
      ),
    );
    expect((await auditTrail(client, caseId)).map((e) => e.action)).toContain('counter_notice.restored');
  });

  it("stops the restoration on the complainant's suit notice, with a legal hold, and tells both parties", async () => {
    const { url, reference, caseId } = await takenDown();
    const who = uploader();
    const res = await postJson(api.url, '/api/v1/counter-notices', complete(url, who));
    const { rows } = await client.query(`SELECT status_token FROM cases WHERE id = $1`, [caseId]);
    // An uploader's link is not the complainant's: it cannot file a suit notice.
    const uploaderToken = res.body.statusUrl.split('/').pop();
    expect(
      (
        await postJson(api.url, `/api/v1/status/${uploaderToken}/suit`, {
          court: 'A district court',
          docketNumber: '1',
          filedOn: '2026-12-01',
        })
      ).status,
    ).toBe(404);
    const suit = await postJson(api.url, `/api/v1/status/${rows[0].status_token}/suit`, {
      court: 'U.S. District Court for the Northern District of California',
      docketNumber: '3:26-cv-01234',
      filedOn: '2026-12-01',
    });
    expect(suit.status).toBe(200);
    expect(suit.body.status).toBe('suit_filed');
    const holds = await client.query(`SELECT kind, reason, set_by FROM legal_holds WHERE case_id = $1`, [caseId]);
    expect(holds.rows).toEqual([
      expect.objectContaining({ kind: 'suit', set_by: 'sender', reason: expect.stringContaining('3:26-cv-01234') }),
    ]);
    await restoreAt(new Date(new Date(res.body.restoreDueAt).getTime() + 5 * 86_400_000));
    expect(await linkStatus(caseId, url)).toBe('taken_down');
    await drain(client, TEST_REDIS_URL, prefix);
    await waitFor('the suit letters', () =>
      Promise.resolve(
        sink.to(who.email).some((m) => m.parsed.subject?.includes('court action')) &&
          sink
            .to(complainant)
            .some((m) => m.parsed.subject?.includes(reference) && m.parsed.subject.includes('court action')),
      ),
    );
    const detail = await client.query(`SELECT status FROM counter_notices WHERE case_id = $1`, [caseId]);
    expect(detail.rows.map((r) => r.status)).toEqual(['suit_filed']);
  });

  it('raises an alert once when the last day passes without a restoration', async () => {
    const { url, caseId } = await takenDown();
    const res = await postJson(api.url, '/api/v1/counter-notices', complete(url));
    // A restoration that cannot happen (the link was restored by staff meanwhile, say) is simulated by moving its
    // due day past the window's end: the restorer finds it overdue before it is due.
    await client.query(
      `UPDATE counter_notices SET restore_due_at = restore_not_after + interval '1 day' WHERE id = $1`,
      [res.body.counterNoticeId],
    );
    const after = new Date(new Date(res.body.restoreNotAfter).getTime() + 60_000);
    const alerts = async () =>
      (await auditTrail(client, caseId)).filter((e) => e.action === 'counter_notice.restore_overdue');
    await restoreAt(after);
    await waitFor('the alert', async () => (await alerts()).length > 0);
    await restoreAt(after);
    expect(await alerts()).toHaveLength(1);
  });

  it('takes a counter-notice by email in reply to the uploader letter, and a reply that completes it', async () => {
    const who = uploader();
    const { url, reference, caseId } = await takenDown(who.email);
    await drain(client, TEST_REDIS_URL, prefix);
    const letter = await waitFor('the letter to the uploader', () => Promise.resolve(sink.to(who.email)[0]));
    const reply = async (to: { messageId?: string }, lines: string[]) => {
      const raw = await compose({
        from: `${who.name} <${who.email}>`,
        to: INTAKE,
        subject: `Re: [${reference}]`,
        messageId: `<cn-${uniqueId()}@site-user.test>`,
        inReplyTo: to.messageId,
        references: to.messageId ? [to.messageId] : [],
        text: lines.join('\n'),
      });
      expect(await sendRaw(port, raw, { from: who.email, to: [INTAKE] })).toMatch(/^250/);
      await drain(client, TEST_REDIS_URL, prefix);
    };
    const rows = async () =>
      (await client.query(`SELECT id, status, channel, removed_urls FROM counter_notices WHERE case_id = $1`, [caseId]))
        .rows;

    // The consent to jurisdiction is missing: kept, and its sender told so.
    await reply(letter.parsed, [
      `The material removed at ${url} was my own work.`,
      'I swear, under penalty of perjury, that I have a good faith belief that the material was removed as a result of mistake or misidentification.',
      `${who.name}, ${who.address}, ${who.phone}`,
      `/s/ ${who.name}`,
    ]);
    await waitFor('the counter-notice record', async () => (await rows()).length === 1);
    expect(await rows()).toEqual([
      expect.objectContaining({ status: 'needs_info', channel: 'email', removed_urls: [url] }),
    ]);
    const deficiency = await waitFor('the deficiency letter', () =>
      Promise.resolve(sink.to(who.email).find((m) => m.parsed.subject?.includes('cannot be acted on yet'))),
    );
    expect(deficiency.parsed.text).toContain('consent to the jurisdiction');

    // The reply to that letter completes it: forwarded, with the clock from this reply.
    await reply(deficiency.parsed, [
      'I consent to the jurisdiction of the Federal District Court for the judicial district in which my address is located, and I will accept service of process from the person who provided the notification.',
    ]);
    await waitFor('the counter-notice to be forwarded', async () => (await rows())[0]?.status === 'forwarded');
    expect(await rows()).toHaveLength(1);
    await waitFor('the forward to the complainant', () =>
      Promise.resolve(
        sink.to(complainant).some((m) => m.parsed.subject?.includes(reference) && m.parsed.text?.includes(who.phone)),
      ),
    );
  });

  it('gives the uploader a letter naming the claim, a private page of their own, and a 451 page with nothing personal', async () => {
    const who = uploader();
    const page = await createCatalogPage(client, { uploaderEmail: who.email });
    const url = `https://example.com/d/${page.downloads[0].id}`;
    const phone = '+1 555 0199';
    const street = '77 Rights Road, Gotham';
    const filed = await postJson(
      api.url,
      '/api/v1/notices',
      completeNoticeFrom(complainant, [url], {
        complainant: {
          name: 'Jane Roe',
          company: 'Roe Rights LLC',
          email: complainant,
          phone,
          address: street,
          role: 'owner',
        },
      }),
    );
    expect(filed.status).toBe(201);
    const { reference } = filed.body;
    const complainantToken = filed.body.statusUrl.split('/').pop();
    await drain(client, TEST_REDIS_URL, prefix);
    const letter = await waitFor('the letter to the uploader', () =>
      Promise.resolve(sink.to(who.email).find((m) => m.parsed.subject?.includes(reference))),
    );
    const text = letter.parsed.text ?? '';
    expect(text).toContain('from Jane Roe (Roe Rights LLC)');
    expect(text).toContain('claiming copyright in Acme Studio 5');
    for (const secret of [complainant, phone, street, complainantToken]) expect(letter.raw).not.toContain(secret);
    const form = /\/counter-notices\/new\?\S+/.exec(text)?.[0] ?? '';
    expect(new URLSearchParams(form.split('?')[1]).getAll('url')).toEqual([url]);

    const pageUrl = /http:\/\/localhost:3000(\/uploader\/[A-Za-z0-9_-]{32})/.exec(text)?.[1] ?? '';
    expect(pageUrl).not.toBe('');
    const mine = await fetch(`${api.url}${pageUrl}`);
    expect(mine.status).toBe(200);
    const html = await mine.text();
    expect(html).toContain(reference);
    expect(html).toContain(url);
    expect(html).toContain('Roe Rights LLC');
    for (const secret of [complainant, phone, street]) expect(html).not.toContain(secret);
    const json = await (await fetch(`${api.url}/api${pageUrl.replace('/uploader', '/v1/uploader')}`)).json();
    expect(json).toMatchObject({ reference, removed: [{ url, status: 'taken_down' }], counterNotices: [] });

    const gone = await fetch(`${api.url}/d/${page.downloads[0].id}`, { redirect: 'manual' });
    expect(gone.status).toBe(451);
    const notice = await gone.text();
    expect(notice).toContain(reference);
    // Handlebars escapes '=' in the href (&#x3D;), which the browser reads back as '='.
    expect(notice).toMatch(/\/counter-notices\/new\?case(=|&#x3D;)/);
    for (const secret of [complainant, phone, street, 'Jane Roe', who.email]) expect(notice).not.toContain(secret);
  });

  it('attaches a fresh emailed counter-notice to the case whose URLs it names, instead of opening a case', async () => {
    const who = uploader();
    const { url, caseId } = await takenDown();
    const before = (await client.query(`SELECT count(*)::int AS n FROM cases`)).rows[0].n;
    const raw = await compose({
      from: `${who.name} <${who.email}>`,
      to: INTAKE,
      subject: 'DMCA counter-notification',
      messageId: `<fresh-${uniqueId()}@site-user.test>`,
      text: [
        'This is a counter-notification under 17 U.S.C. 512(g)(3).',
        `The material removed was at ${url}.`,
        'I swear, under penalty of perjury, that I have a good faith belief that the material was removed or disabled as a result of mistake or misidentification of the material to be removed or disabled.',
        'I consent to the jurisdiction of the Federal District Court for the judicial district in which my address is located, and I will accept service of process from the person who provided notification.',
        `${who.name}, ${who.address}, telephone ${who.phone}, ${who.email}`,
        `/s/ ${who.name}`,
      ].join('\n'),
    });
    expect(await sendRaw(port, raw, { from: who.email, to: [INTAKE] })).toMatch(/^250/);
    await drain(client, TEST_REDIS_URL, prefix);
    const rows = await waitFor('the counter-notice on the case', async () => {
      const { rows } = await client.query(`SELECT status, removed_urls FROM counter_notices WHERE case_id = $1`, [
        caseId,
      ]);
      return rows.length > 0 ? rows : undefined;
    });
    expect(rows[0].removed_urls).toEqual([url]);
    expect((await client.query(`SELECT count(*)::int AS n FROM cases`)).rows[0].n).toBe(before);
  });

  it('lets staff review, forward, stop and withdraw counter-notices, and shows them on the case', async () => {
    const legal = await createStaff(client, 'legal');
    const staff = async (method: string, path: string, body?: unknown) => {
      const res = await fetch(`${api.url}/api/v1/staff${path}`, {
        method,
        headers: { authorization: `Bearer ${legal.token}`, 'content-type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      return { status: res.status, body: (await res.json()) as any };
    };
    // Held for review: it names a URL this case did not take down.
    const { url, reference } = await takenDown();
    const held = await postJson(api.url, '/api/v1/counter-notices', {
      ...complete(url),
      removedUrls: [url, `https://example.com/d/${uniqueId()}`],
    });
    expect(held.body.status).toBe('in_review');
    const id = held.body.counterNoticeId;
    const base = `/cases/${reference}/counter-notices/${id}`;

    const detail = await staff('GET', `/cases/${reference}`);
    expect(detail.body.counterNotices).toEqual([
      expect.objectContaining({
        id,
        status: 'in_review',
        missing: [],
        suit: null,
        restoreDueAt: held.body.restoreDueAt,
      }),
    ]);
    // A viewer may not; a bad suit is a 400 naming the field; a withdrawn one cannot be forwarded.
    const viewer = await createStaff(client, 'viewer');
    const refused = await fetch(`${api.url}/api/v1/staff${base}/forward`, {
      method: 'POST',
      headers: { authorization: `Bearer ${viewer.token}` },
    });
    expect(refused.status).toBe(403);
    expect((await staff('POST', `${base}/suit`, { court: 'A court', docketNumber: '1', filedOn: 'soon' })).status).toBe(
      400,
    );

    const forwarded = await staff('POST', `${base}/forward`);
    expect(forwarded).toMatchObject({
      status: 200,
      body: { id, status: 'forwarded', restoreDueAt: held.body.restoreDueAt },
    });
    const suit = await staff('POST', `${base}/suit`, {
      court: 'U.S. District Court for the District of Delaware',
      docketNumber: '1:26-cv-00042',
      filedOn: '2026-11-30',
    });
    expect(suit.body.status).toBe('suit_filed');
    const again = await staff('POST', `${base}/withdraw`, { reason: 'The uploader asked' });
    expect(again.status).toBe(409);
    expect(again.body.message).toContain('cannot become withdrawn');
    const after = await staff('GET', `/cases/${reference}`);
    expect(after.body.counterNotices[0]).toMatchObject({
      status: 'suit_filed',
      suit: {
        court: 'U.S. District Court for the District of Delaware',
        docketNumber: '1:26-cv-00042',
        filedOn: '2026-11-30',
      },
    });

    // A second counter-notice on another case, withdrawn at its sender's request.
    const other = await takenDown();
    const sender = uploader();
    const filed = await postJson(api.url, '/api/v1/counter-notices', complete(other.url, sender));
    const withdrawn = await staff(
      'POST',
      `/cases/${other.reference}/counter-notices/${filed.body.counterNoticeId}/withdraw`,
      {
        reason: 'The uploader asked by phone',
      },
    );
    expect(withdrawn.body.status).toBe('withdrawn');
    expect(
      (await auditTrailWithTexts(client, other.caseId)).find((e) => e.action === 'counter_notice.withdrawn'),
    ).toMatchObject({
      actor: legal.id,
      detail: { counterNotice: filed.body.counterNoticeId, reasonText: 'The uploader asked by phone' },
    });
    await drain(client, TEST_REDIS_URL, prefix);
    await waitFor('the withdrawal letters', () =>
      Promise.resolve(
        sink.to(sender.email).some((m) => m.parsed.subject?.includes('was withdrawn')) &&
          sink
            .to(complainant)
            .some((m) => m.parsed.subject === `[${other.reference}] The counter-notice was withdrawn`),
      ),
    );
    await restoreAt(new Date(new Date(filed.body.restoreDueAt).getTime() + 60_000));
    expect(await linkStatus(other.caseId, other.url)).toBe('taken_down');

    // The queue filters by it and shows its state.
    const queue = await staff('GET', `/cases?counterNotice=any&q=${reference}`);
    expect(queue.body.items).toEqual([
      expect.objectContaining({
        reference,
        counterNotice: expect.objectContaining({ status: 'suit_filed', overdue: false }),
      }),
    ]);
    expect((await staff('GET', `/cases?counterNotice=open&q=${reference}`)).body.items).toEqual([]);
    expect((await staff('GET', `/cases?counterNotice=soon`)).status).toBe(400);

    // The case page shows it, with its dates.
    const page = await fetch(`${api.url}/staff/cases/${reference}`, {
      headers: { authorization: `Bearer ${legal.token}` },
    });
    const html = await page.text();
    expect(html).toContain('Counter-notices (1)');
    expect(html).toContain('1:26-cv-00042');
  });

  it("takes the complainant's suit notice from the status page, with the complaint attached", async () => {
    const { url, caseId } = await takenDown();
    const filed = await postJson(api.url, '/api/v1/counter-notices', complete(url));
    expect(filed.body.status).toBe('forwarded');
    const token = (await client.query(`SELECT status_token FROM cases WHERE id = $1`, [caseId])).rows[0].status_token;
    const page = await fetch(`${api.url}/status/${token}`);
    const html = await page.text();
    expect(html).toContain('Tell us of a court action');
    const cookie = (page.headers.get('set-cookie') ?? '').split(';')[0];
    const csrf = /name="_csrf" value="([^"]+)"/.exec(html)?.[1] ?? '';
    const form = new FormData();
    form.set('_csrf', csrf);
    form.set('court', 'U.S. District Court for the Southern District of New York');
    form.set('docketNumber', '1:26-cv-07777');
    form.set('filedOn', '2026-12-01');
    const pdf = Buffer.from('%PDF-1.4 the complaint');
    form.set('complaint', new Blob([pdf], { type: 'application/pdf' }), 'complaint.pdf');
    const res = await fetch(`${api.url}/status/${token}/suit`, { method: 'POST', headers: { cookie }, body: form });
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('the material will not be restored');
    const { rows } = await client.query(
      `SELECT set_by, document_name, document_type, document FROM legal_holds WHERE case_id = $1`,
      [caseId],
    );
    expect(rows).toEqual([
      { set_by: 'sender', document_name: 'complaint.pdf', document_type: 'application/pdf', document: pdf },
    ]);
    const suit = (await auditTrail(client, caseId)).find((e) => e.action === 'counter_notice.suit_recorded');
    expect(suit?.detail.documentSha256).toMatch(/^[0-9a-f]{64}$/);
  });
});
