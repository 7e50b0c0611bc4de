import type { Client } from 'pg';
import { completeNoticeFrom, postJson } from './support/factories';
import { auditTrail, db, type RunningApi, startApi, uniquePrefix } from './support/harness';
import { createStaff, signIn, type StaffFixture } from './support/staff';

jest.setTimeout(60_000);

/** A signed-in browser without the browser: the session cookie, the CSRF cookie and the last page's token. */
class Browser {
  private readonly cookies = new Map<string, string>();
  private csrf = '';

  constructor(private readonly base: string) {}

  static async signIn(base: string, staff: StaffFixture): Promise<Browser> {
    const browser = new Browser(base);
    const [name, value] = (await signIn(base, staff)).split('=');
    browser.cookies.set(name, value);
    return browser;
  }

  async get(path: string): Promise<{ status: number; html: string }> {
    return this.read(await fetch(this.base + path, { headers: { cookie: this.cookie() }, redirect: 'manual' }));
  }

  async post(path: string, fields: Record<string, string>): Promise<{ status: number; html: string }> {
    const res = await fetch(this.base + path, {
      method: 'POST',
      redirect: 'manual',
      headers: { cookie: this.cookie(), 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ _csrf: this.csrf, ...fields }).toString(),
    });
    return this.read(res);
  }

  private cookie(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }

  private async read(res: Response): Promise<{ status: number; html: string }> {
    for (const set of res.headers.getSetCookie()) {
      const [pair] = set.split(';');
      const at = pair.indexOf('=');
      this.cookies.set(pair.slice(0, at), pair.slice(at + 1));
    }
    const html = await res.text();
    this.csrf = /name="_csrf" value="([^"]+)"/.exec(html)?.[1] ?? this.csrf;
    return { status: res.status, html };
  }
}

describe('legal holds recorded by staff', () => {
  const prefix = uniquePrefix();
  let api: RunningApi;
  let client: Client;
  let legal: StaffFixture;
  let viewer: StaffFixture;

  beforeAll(async () => {
    client = await db();
    api = await startApi({ QUEUE_PREFIX: prefix });
    [legal, viewer] = await Promise.all([createStaff(client, 'legal'), createStaff(client, 'viewer')]);
  });

  afterAll(async () => {
    await api?.close();
    await client?.end();
  });

  async function newCase(): Promise<{ reference: string; caseId: string }> {
    const res = await postJson(
      api.url,
      '/api/v1/notices',
      completeNoticeFrom(`holds-${prefix}@rights.example.org`, [`https://example.com/software/hold-${prefix}`]),
    );
    expect(res.status).toBe(201);
    return { reference: res.body.reference, caseId: res.body.caseId };
  }

  const bearer = (staff: StaffFixture) => ({ authorization: `Bearer ${staff.token}` });

  it('sets and releases a preservation hold through the API, each audited with the hold id, kind and who', async () => {
    const { reference, caseId } = await newCase();
    const holds = `/api/v1/staff/cases/${reference}/legal-holds`;

    expect((await postJson(api.url, holds, { reason: 'x' }, bearer(viewer))).status).toBe(403);
    expect((await postJson(api.url, holds, { reason: '' }, bearer(legal))).status).toBe(400);
    expect((await postJson(api.url, holds, { reason: '   ' }, bearer(legal))).status).toBe(422);
    expect(
      (await postJson(api.url, `/api/v1/staff/cases/DMCA-1999-999999/legal-holds`, { reason: 'x' }, bearer(legal)))
        .status,
    ).toBe(404);

    const set = await postJson(api.url, holds, { reason: '512(f) claim threatened' }, bearer(legal));
    expect(set.status).toBe(201);
    expect(set.body).toMatchObject({
      kind: 'preservation',
      reason: '512(f) claim threatened',
      setBy: legal.id,
      releasedAt: null,
    });
    const hold = set.body.id as string;

    const detail = await fetch(`${api.url}/api/v1/staff/cases/${reference}`, { headers: bearer(viewer) });
    expect(((await detail.json()) as any).legalHolds).toEqual([
      expect.objectContaining({ id: hold, releasedAt: null }),
    ]);

    const release = `${holds}/${hold}/release`;
    expect((await postJson(api.url, release, { reason: 'x' }, bearer(viewer))).status).toBe(403);
    expect((await postJson(api.url, release, {}, bearer(legal))).status).toBe(400);
    const released = await postJson(api.url, release, { reason: 'Claim settled' }, bearer(legal));
    expect(released.status).toBe(200);
    expect(released.body).toMatchObject({ id: hold, releasedBy: legal.id, releaseReason: 'Claim settled' });
    expect(released.body.releasedAt).not.toBeNull();
    expect((await postJson(api.url, release, { reason: 'again' }, bearer(legal))).status).toBe(409);
    const unknown = `${holds}/00000000-0000-4000-8000-000000000000/release`;
    expect((await postJson(api.url, unknown, { reason: 'x' }, bearer(legal))).status).toBe(404);

    // The audit log names the hold, its kind and who; the reasons stay in the hold's row.
    const events = (await auditTrail(client, caseId)).filter((e) => e.action.startsWith('legal_hold.'));
    expect(events).toEqual([
      { actor: legal.id, action: 'legal_hold.set', detail: { hold, kind: 'preservation' } },
      { actor: legal.id, action: 'legal_hold.released', detail: { hold, kind: 'preservation' } },
    ]);
  });

  it('sets and releases a hold from the case page, and refuses one without a reason', async () => {
    const { reference, caseId } = await newCase();
    const path = `/staff/cases/${reference}`;
    const asLegal = await Browser.signIn(api.url, legal);
    const page = await asLegal.get(path);
    expect(page.html).toContain(`action="${path}/legal-holds"`);
    expect(page.html).toContain('No legal hold');

    const refused = await asLegal.post(`${path}/legal-holds`, { reason: '' });
    expect(refused.status).toBe(422);
    expect(refused.html).toContain('Say why the case is held');

    const set = await asLegal.post(`${path}/legal-holds`, { reason: 'Regulator asked us to keep the file' });
    expect(set.status).toBe(303);
    const held = await asLegal.get(path);
    expect(held.html).toContain('The case is on legal hold');
    expect(held.html).toContain('Regulator asked us to keep the file');
    expect(held.html).toMatch(/<dt>Legal hold<\/dt><dd><strong>In force<\/strong> \(preservation\)/);
    const {
      rows: [hold],
    } = await client.query(`SELECT id FROM legal_holds WHERE case_id = $1`, [caseId]);
    expect(held.html).toContain(`action="${path}/legal-holds/${hold.id}/release"`);

    const asViewer = await Browser.signIn(api.url, viewer);
    expect((await asViewer.get(path)).html).not.toContain(`/legal-holds/${hold.id}/release`);
    expect((await asViewer.post(`${path}/legal-holds/${hold.id}/release`, { reason: 'x' })).status).toBe(403);

    expect((await asLegal.post(`${path}/legal-holds/${hold.id}/release`, { reason: '' })).status).toBe(422);
    expect((await asLegal.post(`${path}/legal-holds/${hold.id}/release`, { reason: 'File handed over' })).status).toBe(
      303,
    );
    const after = await asLegal.get(path);
    expect(after.html).toContain('Released the preservation hold.');
    expect(after.html).not.toContain('<dt>Legal hold</dt>');
    expect(after.html).toContain('File handed over');
    const { rows } = await client.query(`SELECT released_by, release_reason FROM legal_holds WHERE id = $1`, [hold.id]);
    expect(rows).toEqual([{ released_by: legal.id, release_reason: 'File handed over' }]);
  });
});
