import type { INestApplicationContext } from '@nestjs/common';
import type { Client } from 'pg';
import type { EntityManager } from 'typeorm';
import { type CliOutput, runCli } from '../src/cli';
import { ReconcilerService } from '../src/reconcile/reconciler.service';
import { ErasureService, type ErasureOutcome, type SubjectExport } from '../src/privacy/erasure.service';
import { isolatedDatabase, isolatedDatabaseUrl } from './support/database';
import { completeNoticeFrom, postJson } from './support/factories';
import { drain, type RunningApi, startApi, startWorker, uniqueId, uniquePrefix, waitFor } from './support/harness';
import { TEST_REDIS_URL } from './support/env';
import { SmtpSink, type CapturedMail } from './support/smtp-sink';
import { createStaff, signIn, type StaffFixture } from './support/staff';

jest.setTimeout(120_000);

/** Its own database: its worker sends every privacy mail recorded in it, and no other file's worker may. */
const DATABASE_URL = isolatedDatabaseUrl('privacy');
const PREFIX = uniquePrefix();
const ENV = {
  DATABASE_URL,
  QUEUE_PREFIX: PREFIX,
  PRIVACY_CONTROLLER: 'Example Software Ltd',
  PRIVACY_CONTACT_EMAIL: 'privacy@example.com',
  PRIVACY_AUTHORITY: 'the Example Data Protection Authority',
  PRIVACY_AUTHORITY_URL: 'https://dpa.example.org/complain',
  RETAIN_PARTY_DATA_YEARS: '4',
  RETAIN_RAW_MAIL_DAYS: '45',
  PRIVACY_REQUEST_DAYS: '30',
  PRIVACY_MINOR_HOURS: '6',
  PRIVACY_LINK_HOURS: '48',
};

/**
 * The erasure itself is another part's (ErasureService); here a small fake stands in for it, recording what it was
 * asked and answering as the contract says: a "held" address keeps what a legal hold covers.
 */
class FakeErasure {
  readonly calls: { op: string; email: string }[] = [];
  readonly held = new Set<string>();

  install(): void {
    const calls = this.calls;
    const held = this.held;
    jest.spyOn(ErasureService.prototype, 'holdsAnything').mockImplementation((_m: EntityManager, email: string) => {
      calls.push({ op: 'holdsAnything', email });
      return Promise.resolve(held.has(email));
    });
    jest.spyOn(ErasureService.prototype, 'withhold').mockImplementation((_m: EntityManager, email: string) => {
      calls.push({ op: 'withhold', email });
      return Promise.resolve();
    });
    jest.spyOn(ErasureService.prototype, 'release').mockImplementation((_m: EntityManager, email: string) => {
      calls.push({ op: 'release', email });
      return Promise.resolve();
    });
    jest
      .spyOn(ErasureService.prototype, 'erase')
      .mockImplementation((_m: EntityManager, email: string): Promise<ErasureOutcome> => {
        calls.push({ op: 'erase', email });
        return Promise.resolve(
          held.has(email)
            ? {
                status: 'partially_retained',
                retained: [{ what: 'Your name on case DMCA-2026-000001', why: 'a legal hold: a suit was filed' }],
                caseIds: ['00000000-0000-4000-8000-000000000001'],
              }
            : { status: 'done', retained: [], caseIds: [] },
        );
      });
    jest
      .spyOn(ErasureService.prototype, 'export')
      .mockImplementation((_m: EntityManager, email: string): Promise<SubjectExport> => {
        calls.push({ op: 'export', email });
        return Promise.resolve({
          email,
          generatedAt: new Date().toISOString(),
          cases: [
            {
              reference: 'DMCA-2026-000002',
              role: 'complainant',
              receivedAt: new Date().toISOString(),
              status: 'actioned',
              data: { name: 'Jo Example', phone: null },
              notices: [{ channel: 'form', receivedAt: new Date().toISOString(), text: null }],
              letters: [{ kind: 'receipt', sentAt: null, subject: '[DMCA-2026-000002] We received your notice' }],
            },
          ],
          catalog: [],
        });
      });
  }

  of(op: string): string[] {
    return this.calls.filter((c) => c.op === op).map((c) => c.email);
  }
}

/** A browser without the browser: cookies kept between requests, and the last page's CSRF token. */
class Browser {
  readonly cookies = new Map<string, string>();
  csrf = '';

  constructor(private readonly base: string) {}

  get cookie(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }

  async get(path: string): Promise<{ status: number; html: string; location: string | null }> {
    return this.read(await fetch(this.base + path, { headers: { cookie: this.cookie }, redirect: 'manual' }));
  }

  async post(
    path: string,
    fields: Record<string, string>,
    csrf: string | null = this.csrf,
  ): Promise<{ status: number; html: string; location: string | null }> {
    const body = new URLSearchParams(csrf === null ? fields : { _csrf: csrf, ...fields });
    return this.read(
      await fetch(this.base + path, {
        method: 'POST',
        redirect: 'manual',
        headers: { cookie: this.cookie, 'content-type': 'application/x-www-form-urlencoded' },
        body: body.toString(),
      }),
    );
  }

  private async read(res: Response): Promise<{ status: number; html: string; location: string | null }> {
    for (const set of res.headers.getSetCookie()) {
      const [pair] = set.split(';');
      const at = pair.indexOf('=');
      const [name, value] = [pair.slice(0, at), pair.slice(at + 1)];
      if (/Expires=Thu, 01 Jan 1970/i.test(set) || value === '') this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
    const html = await res.text();
    this.csrf = /name="_csrf" value="([^"]+)"/.exec(html)?.[1] ?? this.csrf;
    return { status: res.status, html, location: res.headers.get('location') };
  }
}

const capture = (): CliOutput & { stdout: string; stderr: string } => {
  const io = {
    stdout: '',
    stderr: '',
    out: (line: string) => void (io.stdout += line),
    err: (line: string) => void (io.stderr += line),
  };
  return io;
};

describe('requests from the people the data is about', () => {
  const erasure = new FakeErasure();
  let client: Client;
  let sink: SmtpSink;
  let api: RunningApi;
  let worker: INestApplicationContext;
  let legal: StaffFixture;
  let viewer: StaffFixture;

  beforeAll(async () => {
    erasure.install();
    client = await isolatedDatabase('privacy');
    sink = await new SmtpSink().start();
    api = await startApi({ ...ENV, SMTP_URL: sink.url });
    worker = await startWorker({ ...ENV, SMTP_URL: sink.url });
    [legal, viewer] = await Promise.all([createStaff(client, 'legal'), createStaff(client, 'viewer')]);
  });

  afterAll(async () => {
    await worker?.close();
    await api?.close();
    await sink?.stop();
    await client?.end();
    jest.restoreAllMocks();
  });

  const address = (what: string): string => `${what}-${uniqueId()}@people.example.org`;
  const mailsTo = (to: string, count = 1): Promise<CapturedMail[]> =>
    waitFor(`${count} mail(s) to ${to}`, () => {
      const got = sink.to(to);
      return Promise.resolve(got.length >= count ? got : undefined);
    });
  const linkIn = (mail: CapturedMail, path: string): string => {
    const match = new RegExp(`https?://\\S+(${path}/[A-Za-z0-9_.-]+)`).exec(mail.parsed.text ?? '');
    if (!match) throw new Error(`No ${path} link in: ${mail.parsed.text}`);
    return match[1];
  };
  const rowOf = async (id: string) =>
    (await client.query(`SELECT * FROM privacy_requests WHERE id = $1`, [id])).rows[0];
  const eventsOf = async (id: string) =>
    (
      await client.query(`SELECT actor, action, detail FROM privacy_request_events WHERE request_id = $1 ORDER BY id`, [
        id,
      ])
    ).rows as { actor: string; action: string; detail: Record<string, unknown> }[];
  const newestRequest = async (): Promise<string> =>
    (await client.query(`SELECT id FROM privacy_requests ORDER BY received_at DESC LIMIT 1`)).rows[0].id;
  const staffApi = (path: string, init: { method?: string; body?: unknown; as?: StaffFixture } = {}) =>
    fetch(`${api.url}/api/v1/staff/privacy-requests${path}`, {
      method: init.method ?? 'GET',
      headers: { authorization: `Bearer ${(init.as ?? legal).token}`, 'content-type': 'application/json' },
      body: init.body === undefined ? undefined : JSON.stringify(init.body),
    });
  const submit = async (fields: Record<string, string>) => {
    const browser = new Browser(api.url);
    await browser.get('/privacy/request');
    return { browser, answer: await browser.post('/privacy/request', fields) };
  };
  /** Follows a confirmation link as its owner does: opens the page, then presses its button. */
  const confirmByLink = async (path: string) => {
    const browser = new Browser(api.url);
    const page = await browser.get(path);
    expect(page.status).toBe(200);
    expect(page.html).toContain('Confirm my request');
    return browser.post(path, {});
  };

  it('GET /privacy is the full notice, generated from the settings, and the notice form links to it', async () => {
    const res = await fetch(`${api.url}/privacy`);
    expect(res.status).toBe(200);
    const html = await res.text();
    for (const expected of [
      'Example Software Ltd',
      'privacy@example.com',
      'href="https://dpa.example.org/complain"',
      'the Example Data Protection Authority',
      '4 years after the case is closed',
      '45 days after the case is closed',
      '§ 512(g)(2)(B)',
      'We never rely on your consent',
      'legitimate interest',
      'href="/privacy/request"',
      'within 30 days',
      '48 hours',
    ])
      expect(html).toContain(expected);
    expect(html).toMatch(/within\s+6 hours/);
    expect(html).not.toMatch(/<script/i);

    const form = await (await fetch(`${api.url}/notices/new`)).text();
    expect(form).toContain('<a href="/privacy">Our privacy notice</a>');
    expect(form).toMatch(/Privacy notice version \d{4}-\d{2}-\d{2}/);
  });

  it('answers the same for a known and an unknown address, mails each a link, and stores neither address in clear', async () => {
    const known = address('known');
    const filed = await postJson(api.url, '/api/v1/notices', completeNoticeFrom(known, ['https://mega.nz/file/k1']));
    expect(filed.status).toBe(201);
    const unknown = address('unknown');

    const a = await submit({ email: known, kind: 'erasure' });
    const b = await submit({ email: unknown, kind: 'erasure' });
    expect(a.answer.status).toBe(200);
    expect(b.answer.status).toBe(200);
    expect(a.answer.html).toBe(b.answer.html);
    expect(a.answer.html).toContain('Check your mailbox');

    const [toKnown] = await mailsTo(known);
    const [toUnknown] = await mailsTo(unknown);
    expect(toKnown.parsed.subject).toBe(toUnknown.parsed.subject);
    expect(toKnown.parsed.headers.get('auto-submitted')).toBe('auto-generated');
    expect((toKnown.parsed.replyTo?.value ?? [])[0]?.address).toBe('privacy@example.com');
    linkIn(toKnown, '/privacy/confirm');

    const { rows } = await client.query(`SELECT row_to_json(r)::text AS json FROM privacy_requests r`);
    const all = rows.map((r) => r.json as string).join('\n');
    expect(all).not.toContain(known);
    expect(all).not.toContain(unknown);
  });

  it('refuses a post without its CSRF token, and says what to fix in one that is wrong or too long', async () => {
    const before = (await client.query(`SELECT count(*)::int AS n FROM privacy_requests`)).rows[0].n;
    const browser = new Browser(api.url);
    await browser.get('/privacy/request');
    const forged = await browser.post('/privacy/request', { email: address('x'), kind: 'erasure' }, 'not-the-token');
    expect(forged.status).toBe(403);

    const wrong = await browser.post('/privacy/request', { email: 'not an address', kind: 'copy' });
    expect(wrong.status).toBe(400);
    expect(wrong.html).toContain('Enter a valid email address');
    expect(wrong.html).toContain('Choose whether you want a copy of the data or want it erased.');
    expect(wrong.html).toContain('value="not an address"');

    const minorAccess = await browser.post('/privacy/request', { email: address('c'), kind: 'access', minor: 'yes' });
    expect(minorAccess.status).toBe(400);
    expect(minorAccess.html).toContain('choose erasure');
    expect(minorAccess.html).toContain('Enter your own email address');

    const long = await browser.post('/privacy/request', {
      email: address('l'),
      kind: 'erasure',
      details: 'x'.repeat(5_001),
    });
    expect(long.status).toBe(400);
    expect(long.html).toContain('Please keep this under 5,000 characters (it has 5,001).');

    const big = await browser.post('/privacy/request', {
      email: address('b'),
      kind: 'erasure',
      padding: 'y'.repeat(70_000),
    });
    expect(big.status).toBe(413);
    expect(big.html).toContain('larger than this form takes (64 KB)');

    expect((await client.query(`SELECT count(*)::int AS n FROM privacy_requests`)).rows[0].n).toBe(before);
  });

  it('an erasure: the link confirms the address, staff carry it out by the API, and the requester is told what was kept', async () => {
    const person = address('erase');
    erasure.held.add(person);
    const { answer } = await submit({ email: person, kind: 'erasure', details: 'I no longer want to be named' });
    expect(answer.status).toBe(200);
    const id = await newestRequest();
    expect((await rowOf(id)).status).toBe('received');

    // Not before the address is proved.
    const early = await staffApi(`/${id}/erase`, { method: 'POST', body: {} });
    expect(early.status).toBe(409);
    expect(((await early.json()) as any).message).toContain('has not confirmed the address');

    const path = linkIn((await mailsTo(person))[0], '/privacy/confirm');
    const opened = await fetch(api.url + path);
    expect(opened.status).toBe(200);
    expect((await rowOf(id)).confirmed_at).toBeNull();
    const confirmed = await confirmByLink(path);
    expect(confirmed.status).toBe(200);
    expect(confirmed.html).toContain('your request is confirmed');
    expect((await rowOf(id)).status).toBe('confirmed');

    const detail: any = await (await staffApi(`/${id}`)).json();
    expect(detail).toMatchObject({ id, kind: 'erasure', minor: false, status: 'confirmed', confirmed: true });
    expect(detail.email).toBe(person);
    expect(detail.details).toBe('I no longer want to be named');
    expect(detail.holdsData).toBe(true);
    expect(detail.actions).toEqual(['erase', 'reject']);
    expect((await staffApi(`/${id}`, { as: viewer })).status).toBe(403);

    const done = await staffApi(`/${id}/erase`, { method: 'POST', body: {} });
    expect(done.status).toBe(200);
    expect(await done.json()).toMatchObject({
      id,
      status: 'partially_retained',
      retained: [{ what: 'Your name on case DMCA-2026-000001', why: 'a legal hold: a suit was filed' }],
    });
    expect(erasure.of('erase')).toContain(person);

    const [, outcome] = await mailsTo(person, 2);
    expect(outcome.parsed.subject).toContain('done, with what we must keep');
    expect(outcome.parsed.text).toContain('Your name on case DMCA-2026-000001: a legal hold: a suit was filed');
    await drain(client, TEST_REDIS_URL, PREFIX);
    // The outcome's copy of the address is gone once the requester is told.
    await waitFor('the reply address to be erased', async () => (await rowOf(id)).reply_to === null);

    expect((await eventsOf(id)).map((e) => e.action)).toEqual([
      'request.received',
      'mail.queued',
      'mail.sent',
      'address.confirmed',
      'erasure.carried_out',
      'mail.queued',
      'mail.sent',
      'reply_address.erased',
    ]);
    const carried = (await eventsOf(id)).find((e) => e.action === 'erasure.carried_out');
    expect(carried).toMatchObject({ actor: legal.id, detail: { status: 'partially_retained', retained: 1 } });
    await expect(
      client.query(`UPDATE privacy_request_events SET actor = 'x' WHERE request_id = $1`, [id]),
    ).rejects.toThrow();

    const again = await staffApi(`/${id}/erase`, { method: 'POST', body: {} });
    expect(again.status).toBe(409);
  });

  it('a confirmation link expires, and a forged one is not found', async () => {
    const person = address('late');
    await submit({ email: person, kind: 'erasure' });
    const id = await newestRequest();
    const path = linkIn((await mailsTo(person))[0], '/privacy/confirm');
    await client.query(`UPDATE privacy_requests SET received_at = now() - interval '49 hours' WHERE id = $1`, [id]);
    const late = await confirmByLink(path);
    expect(late.status).toBe(410);
    expect(late.html).toContain('This link has expired');
    expect((await rowOf(id)).confirmed_at).toBeNull();

    const forged = await new Browser(api.url).get(`/privacy/confirm/${'A'.repeat(43)}`);
    expect(forged.status).toBe(200); // the page itself changes nothing and says nothing
    const browser = new Browser(api.url);
    await browser.get(`/privacy/confirm/${'A'.repeat(43)}`);
    expect((await browser.post(`/privacy/confirm/${'A'.repeat(43)}`, {})).status).toBe(404);
  });

  it("a minor's data is withheld at once; staff confirm it and it is erased; the parent is told, never the child", async () => {
    const child = address('child');
    const parent = address('parent');
    const { answer } = await submit({ email: child, kind: 'erasure', minor: 'yes', requesterEmail: parent });
    // Withheld before the answer, before anyone confirmed anything.
    expect(answer.status).toBe(200);
    expect(erasure.of('withhold')).toContain(child);
    expect(answer.html).toContain("The child's data is hidden");
    const id = await newestRequest();
    expect(await rowOf(id)).toMatchObject({ status: 'suppressed', minor: true });
    const due = (await rowOf(id)).due_at.getTime() - (await rowOf(id)).received_at.getTime();
    expect(due).toBe(6 * 3_600_000);

    const [mail] = await mailsTo(parent);
    expect(mail.parsed.text).toContain("as the child's parent or guardian");
    await confirmByLink(linkIn(mail, '/privacy/confirm'));
    expect(await rowOf(id)).toMatchObject({ status: 'suppressed' });
    expect((await rowOf(id)).confirmed_at).not.toBeNull();

    const list: any = await (await staffApi('')).json();
    expect(list.items.find((r: { id: string }) => r.id === id)).toMatchObject({ minor: true, overdue: false });
    await client.query(`UPDATE privacy_requests SET due_at = now() - interval '1 minute' WHERE id = $1`, [id]);
    const overdue: any = await (await staffApi('')).json();
    expect(overdue.items.find((r: { id: string }) => r.id === id)).toMatchObject({ minor: true, overdue: true });

    const done = await staffApi(`/${id}/confirm-minor`, { method: 'POST', body: {} });
    expect(done.status).toBe(200);
    expect(await done.json()).toMatchObject({ status: 'done', minor: true, retained: [] });
    expect(erasure.of('erase')).toContain(child);
    const [, outcome] = await mailsTo(parent, 2);
    expect(outcome.parsed.text).toContain("We have erased the child's personal data");
    await drain(client, TEST_REDIS_URL, PREFIX);
    expect(sink.to(child)).toEqual([]);
    const after: any = await (await staffApi('')).json();
    expect(after.items.find((r: { id: string }) => r.id === id)).toBeUndefined();
  });

  it("rejecting a minor's request releases the data and tells the parent why; a rejection needs a reason", async () => {
    const child = address('child2');
    const parent = address('parent2');
    await submit({ email: child, kind: 'erasure', minor: 'yes', requesterEmail: parent });
    const id = await newestRequest();
    await confirmByLink(linkIn((await mailsTo(parent))[0], '/privacy/confirm'));

    const empty = await staffApi(`/${id}/reject`, { method: 'POST', body: { reason: '' } });
    expect(empty.status).toBe(400);
    const rejected = await staffApi(`/${id}/reject`, {
      method: 'POST',
      body: { reason: 'We could not confirm that you are the parent.' },
    });
    expect(rejected.status).toBe(200);
    expect(await rejected.json()).toMatchObject({ status: 'rejected' });
    expect(erasure.of('release')).toContain(child);
    const [, outcome] = await mailsTo(parent, 2);
    expect(outcome.parsed.text).toContain('Why: We could not confirm that you are the parent.');
    expect(outcome.parsed.text).toContain('shown again as before');
    expect((await eventsOf(id)).map((e) => e.action)).toContain('data.released');
  });

  it('an access request: the confirmed address gets an expiring link to the export, as a page and as JSON', async () => {
    const person = address('access');
    await submit({ email: person, kind: 'access' });
    const id = await newestRequest();
    await confirmByLink(linkIn((await mailsTo(person))[0], '/privacy/confirm'));
    expect(await rowOf(id)).toMatchObject({ status: 'done' });

    const [, exportMail] = await mailsTo(person, 2);
    const path = linkIn(exportMail, '/privacy/export');
    const page = await fetch(api.url + path);
    expect(page.status).toBe(200);
    expect(page.headers.get('cache-control')).toBe('no-store');
    const html = await page.text();
    expect(html).toContain(person);
    expect(html).toContain('DMCA-2026-000002');
    const json = await fetch(`${api.url}${path}.json`);
    expect(json.status).toBe(200);
    expect(await json.json()).toMatchObject({ email: person, cases: [{ reference: 'DMCA-2026-000002' }] });

    const tampered = `${path.slice(0, -3)}${path.endsWith('AAA') ? 'BBB' : 'AAA'}`;
    expect((await fetch(api.url + tampered)).status).toBe(404);

    // A new link replaces the old one.
    const resent = await staffApi(`/${id}/export`, { method: 'POST', body: {} });
    expect(resent.status).toBe(200);
    await mailsTo(person, 3);
    await client.query(
      `UPDATE privacy_requests SET export_expires_at = export_expires_at + interval '1 hour' WHERE id = $1`,
      [id],
    );
    expect((await fetch(api.url + path)).status).toBe(404);
    const opened = (await eventsOf(id)).filter((e) => e.action === 'export.opened').map((e) => e.detail.format);
    expect(opened).toEqual(['html', 'json']);
  });

  it('asking again while the link is live sends no second mail, and the answer is the same', async () => {
    const person = address('twice');
    const first = await submit({ email: person, kind: 'erasure' });
    const second = await submit({ email: person, kind: 'erasure' });
    expect(second.answer.html).toBe(first.answer.html);
    await drain(client, TEST_REDIS_URL, PREFIX);
    expect(sink.to(person)).toHaveLength(1);
  });

  it('a mail Redis lost is put back by the reconciler, and sent once', async () => {
    const person = address('lost');
    await submit({ email: person, kind: 'erasure' });
    const id = await newestRequest();
    await mailsTo(person);
    await drain(client, TEST_REDIS_URL, PREFIX);
    // As if Redis lost the job of a confirmation mail queued a while ago: the event says it is owed, no job holds it.
    const { rows } = await client.query(
      `INSERT INTO privacy_request_events (request_id, actor, action, detail, at)
       VALUES ($1, 'requester', 'mail.queued', '{"mail":"confirm"}', now() - interval '10 minutes') RETURNING id`,
      [id],
    );
    const lost = rows[0].id as string;
    const pass = await worker.get(ReconcilerService).reconcileOnce();
    expect(pass.found).toContainEqual(
      expect.objectContaining({ kind: 'send-privacy-mail', ref: lost, requeued: true }),
    );
    await mailsTo(person, 2);
    await drain(client, TEST_REDIS_URL, PREFIX);
    const sent = (await eventsOf(id)).filter((e) => e.action === 'mail.sent' && e.detail.queued === lost);
    expect(sent).toHaveLength(1);
    const again = await worker.get(ReconcilerService).reconcileOnce();
    expect(again.found.filter((f) => f.ref === lost)).toEqual([]);
  });

  it('the staff pages: a queue with deadlines and overdue rows, and a request page whose forms act', async () => {
    const person = address('page');
    await submit({ email: person, kind: 'erasure' });
    const id = await newestRequest();
    await confirmByLink(linkIn((await mailsTo(person))[0], '/privacy/confirm'));
    await client.query(`UPDATE privacy_requests SET due_at = now() - interval '1 day' WHERE id = $1`, [id]);

    const browser = new Browser(api.url);
    const [name, value] = (await signIn(api.url, legal)).split('=');
    browser.cookies.set(name, value);
    const home = await browser.get('/staff');
    expect(home.html).toContain('href="/staff/privacy-requests"');
    const queue = await browser.get('/staff/privacy-requests');
    expect(queue.status).toBe(200);
    const row = new RegExp(`<tr class="overdue">\\s*<td[^>]*><a href="/staff/privacy-requests/${id}">`).exec(
      queue.html,
    );
    expect(row).not.toBeNull();
    expect(queue.html).toContain('Overdue');

    const page = await browser.get(`/staff/privacy-requests/${id}`);
    expect(page.status).toBe(200);
    expect(page.html).toContain(person);
    expect(page.html).toContain(`action="/staff/privacy-requests/${id}/erase"`);

    const noReason = await browser.post(`/staff/privacy-requests/${id}/reject`, { reason: '' });
    expect(noReason.status).toBe(422);
    expect(noReason.html).toContain('Write why the request is refused');

    const done = await browser.post(`/staff/privacy-requests/${id}/erase`, {});
    expect(done.status).toBe(303);
    expect(done.location).toBe(`/staff/privacy-requests/${id}`);
    const after = await browser.get(done.location!);
    expect(after.html).toContain('Erased: nothing of the person is left.');
    expect(await rowOf(id)).toMatchObject({ status: 'done', decided_by: legal.id });

    const forged = await browser.post(`/staff/privacy-requests/${id}/reject`, { reason: 'x' }, 'not-the-token');
    expect(forged.status).toBe(403);

    const asViewer = new Browser(api.url);
    const [vn, vv] = (await signIn(api.url, viewer)).split('=');
    asViewer.cookies.set(vn, vv);
    expect((await asViewer.get('/staff/privacy-requests')).status).toBe(403);
    expect((await asViewer.get('/staff')).html).not.toContain('href="/staff/privacy-requests"');
  });

  it('the command line acts as staff: an erasure carried through, a minor withheld, an access export printed', async () => {
    const person = address('cli');
    erasure.held.delete(person);
    const io = capture();
    expect(await runCli(['privacy-request', 'erasure', person, '--reason', 'asked by letter', '--confirm'], io)).toBe(
      0,
    );
    const line = JSON.parse(io.stdout.trim());
    expect(line).toEqual({ id: expect.any(String), kind: 'erasure', minor: false, status: 'done', retained: [] });
    expect(erasure.of('erase')).toContain(person);
    const events = await eventsOf(line.id);
    expect(events[0]).toMatchObject({ actor: expect.stringMatching(/^cli:/), action: 'request.received' });
    expect(events.map((e) => e.action)).toContain('erasure.carried_out');
    // The address the CLI was given is told the outcome.
    await mailsTo(person);

    const held = address('cli-held');
    erasure.held.add(held);
    const kept = capture();
    expect(await runCli(['privacy-request', 'erasure', held, '--reason', 'by phone', '--confirm'], kept)).toBe(0);
    expect(JSON.parse(kept.stdout)).toMatchObject({
      status: 'partially_retained',
      retained: [{ why: expect.any(String) }],
    });

    const child = address('cli-child');
    const minor = capture();
    expect(await runCli(['privacy-request', 'erasure', child, '--reason', 'a parent wrote', '--minor'], minor)).toBe(0);
    expect(JSON.parse(minor.stdout)).toMatchObject({
      kind: 'erasure',
      minor: true,
      status: 'suppressed',
      retained: [],
    });
    expect(erasure.of('withhold')).toContain(child);

    const waiting = capture();
    expect(await runCli(['privacy-request', 'erasure', address('cli-wait'), '--reason', 'by post'], waiting)).toBe(0);
    expect(JSON.parse(waiting.stdout)).toMatchObject({ status: 'received' });

    const access = capture();
    const reader = address('cli-access');
    expect(await runCli(['privacy-request', 'access', reader], access)).toBe(0);
    const exported = JSON.parse(access.stdout);
    expect(exported).toMatchObject({ kind: 'access', minor: false, status: 'done', retained: [] });
    expect(exported.export).toMatchObject({ email: reader, cases: [{ reference: 'DMCA-2026-000002' }] });

    const wrong = capture();
    expect(await runCli(['privacy-request', 'erasure', person], wrong)).toBe(1);
    expect(wrong.stderr).toContain('needs --reason TEXT');
    expect(await runCli(['privacy-request', 'forget', person], wrong)).toBe(1);
    expect(wrong.stderr).toContain('erasure or access');

    const erased = await client.query(`SELECT email FROM privacy_requests WHERE id = $1`, [line.id]);
    expect(erased.rows[0].email).not.toContain(person);
  });
});
