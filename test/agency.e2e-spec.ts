import type { Client } from 'pg';
import { sha256 } from '../src/auth/staff-auth.service';
import { completeNotice, postJson } from './support/factories';
import { db, type RunningApi, startApi, uniqueId } from './support/harness';
import { createStaff, type StaffFixture } from './support/staff';

const bearer = (token: string): Record<string, string> => ({ authorization: `Bearer ${token}` });

describe('agency keys: filing notices and reading their own cases', () => {
  let api: RunningApi;
  let client: Client;
  let admin: StaffFixture;

  beforeAll(async () => {
    client = await db();
    api = await startApi();
    admin = await createStaff(client, 'admin');
  });

  afterAll(async () => {
    await api?.close();
    await client?.end();
  });

  async function call(
    method: string,
    path: string,
    headers: Record<string, string> = {},
    body?: unknown,
  ): Promise<{ status: number; body: any; text: string }> {
    const res = await fetch(`${api.url}${path}`, {
      method,
      headers: { ...headers, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) : undefined, text };
  }

  async function createAgency(name = `Agency ${uniqueId()}`): Promise<{ id: string; key: string }> {
    const res = await call('POST', '/api/v1/staff/agencies', bearer(admin.token), {
      name,
      contactEmail: 'notices@agency.example.org',
    });
    expect(res.status).toBe(201);
    return res.body;
  }

  /** Files a complete notice for a URL of its own; returns the answer. */
  async function file(headers: Record<string, string>, overrides: Record<string, unknown> = {}) {
    const url = `https://mega.nz/file/${uniqueId()}`;
    const res = await postJson(api.url, '/api/v1/notices', completeNotice([url], overrides), headers);
    return { ...res, url };
  }

  const linksReported = async (url: string): Promise<number> =>
    (await client.query(`SELECT count(*)::int AS n FROM reported_links WHERE url = $1`, [url])).rows[0].n;

  it('lets an admin create an agency whose key is shown once and stored hashed, and list it', async () => {
    const name = `Acme Rights ${uniqueId()}`;
    const res = await call('POST', '/api/v1/staff/agencies', bearer(admin.token), {
      name: `  ${name} `,
      contactEmail: 'notices@acme-rights.example.org',
    });
    expect(res.status).toBe(201);
    expect(res.body).toEqual({
      id: expect.any(String),
      name,
      contactEmail: 'notices@acme-rights.example.org',
      createdAt: expect.any(String),
      lastUsedAt: null,
      revokedAt: null,
      trustedFlagger: null,
      key: expect.stringMatching(/^tda_[A-Za-z0-9_-]{43}$/),
    });
    const { rows } = await client.query(`SELECT key_hash, created_by FROM agencies WHERE id = $1`, [res.body.id]);
    expect(rows[0]).toEqual({ key_hash: sha256(res.body.key), created_by: admin.id });

    const list = await call('GET', '/api/v1/staff/agencies', bearer(admin.token));
    expect(list.status).toBe(200);
    const listed = list.body.find((a: { id: string }) => a.id === res.body.id);
    expect(listed).toMatchObject({ name, revokedAt: null });
    expect(listed).not.toHaveProperty('key');
    expect(list.text).not.toContain(res.body.key);

    const bad = await call('POST', '/api/v1/staff/agencies', bearer(admin.token), { name: 'x', contactEmail: 'no' });
    expect(bad.status).toBe(400);
  });

  it('refuses the agency admin API to anonymous callers (401), agency keys (401), legal and viewer (403)', async () => {
    const { id, key } = await createAgency();
    const legal = await createStaff(client, 'legal');
    const viewer = await createStaff(client, 'viewer');
    const routes: [string, string, unknown?][] = [
      ['POST', '/api/v1/staff/agencies', { name: 'Sneaky', contactEmail: 'sneaky@example.org' }],
      ['GET', '/api/v1/staff/agencies'],
      ['DELETE', `/api/v1/staff/agencies/${id}`],
    ];
    for (const [method, path, body] of routes) {
      for (const [headers, status] of [
        [{}, 401],
        [bearer(key), 401],
        [bearer(legal.token), 403],
        [bearer(viewer.token), 403],
      ] as [Record<string, string>, number][]) {
        const res = await call(method, path, headers, body);
        expect({ method, path, headers, status: res.status }).toEqual({ method, path, headers, status });
      }
    }
    const { rows } = await client.query(`SELECT revoked_at FROM agencies WHERE id = $1`, [id]);
    expect(rows[0].revoked_at).toBeNull();
    expect((await client.query(`SELECT 1 FROM agencies WHERE name = 'Sneaky'`)).rowCount).toBe(0);
  });

  it('files a notice for the agency with its key, and still files anonymously without one', async () => {
    const agency = await createAgency();
    const filed = await file(bearer(agency.key));
    expect(filed.status).toBe(201);
    const { rows } = await client.query(`SELECT agency_id FROM cases WHERE id = $1`, [filed.body.caseId]);
    expect(rows[0].agency_id).toBe(agency.id);
    const used = await client.query(`SELECT last_used_at FROM agencies WHERE id = $1`, [agency.id]);
    expect(used.rows[0].last_used_at).not.toBeNull();

    const anonymous = await file({});
    expect(anonymous.status).toBe(201);
    const anon = await client.query(`SELECT agency_id FROM cases WHERE id = $1`, [anonymous.body.caseId]);
    expect(anon.rows[0].agency_id).toBeNull();
  });

  it('refuses a bad agency key on filing with 401 and a message saying what to fix, and records nothing', async () => {
    const staff = await createStaff(client, 'legal');
    const unknown = `tda_${'A'.repeat(43)}`;
    for (const [authorization, message] of [
      [`Bearer ${unknown}`, /not valid or has been revoked.*send no Authorization header/],
      ['Bearer tda_forged', /not valid or has been revoked/],
      [`Bearer ${staff.token}`, /staff API token; .*"Authorization: Bearer tda_…"/],
      ['Basic dXNlcjpwYXNz', /malformed. .*"Authorization: Bearer tda_…"/],
      ['Bearer', /malformed/],
    ] as [string, RegExp][]) {
      const res = await file({ authorization });
      expect({ authorization, status: res.status }).toEqual({ authorization, status: 401 });
      expect(res.body.message).toMatch(message);
      expect(await linksReported(res.url)).toBe(0);
    }
  });

  it('writes last_used_at at most once a minute', async () => {
    const agency = await createAgency();
    const lastUsed = async (): Promise<Date> =>
      (await client.query(`SELECT last_used_at FROM agencies WHERE id = $1`, [agency.id])).rows[0].last_used_at;
    await client.query(`UPDATE agencies SET last_used_at = now() - interval '30 seconds' WHERE id = $1`, [agency.id]);
    const recent = await lastUsed();
    expect((await call('GET', '/api/v1/agency/cases', bearer(agency.key))).status).toBe(200);
    expect(await lastUsed()).toEqual(recent);
    await client.query(`UPDATE agencies SET last_used_at = now() - interval '2 minutes' WHERE id = $1`, [agency.id]);
    expect((await call('GET', '/api/v1/agency/cases', bearer(agency.key))).status).toBe(200);
    expect((await lastUsed()).getTime()).toBeGreaterThan(Date.now() - 10_000);
  });

  it('lists only its own cases, newest first, paginated and filtered by status', async () => {
    const agency = await createAgency();
    const other = await createAgency();
    const first = await file(bearer(agency.key));
    const second = await file(bearer(agency.key), { signature: undefined });
    const third = await file(bearer(agency.key));
    await file(bearer(other.key));
    await file({});

    const all = await call('GET', '/api/v1/agency/cases', bearer(agency.key));
    expect(all.status).toBe(200);
    expect(all.body).toMatchObject({ page: 1, perPage: 25, total: 3 });
    expect(all.body.items.map((c: { reference: string }) => c.reference)).toEqual([
      third.body.reference,
      second.body.reference,
      first.body.reference,
    ]);
    expect(all.body.items[0]).toEqual({
      reference: third.body.reference,
      status: 'received',
      kind: 'takedown',
      createdAt: expect.any(String),
      linkCounts: { pending: 1, ignored: 1 },
      statusUrl: third.body.statusUrl,
    });

    const page2 = await call('GET', '/api/v1/agency/cases?page=2&perPage=2', bearer(agency.key));
    expect(page2.body).toMatchObject({ page: 2, perPage: 2, total: 3 });
    expect(page2.body.items.map((c: { reference: string }) => c.reference)).toEqual([first.body.reference]);

    const needsInfo = await call('GET', '/api/v1/agency/cases?status=needs_info', bearer(agency.key));
    expect(needsInfo.body.total).toBe(1);
    expect(needsInfo.body.items[0].reference).toBe(second.body.reference);

    for (const query of ['perPage=101', 'perPage=0', 'page=0', 'page=x', 'status=bogus', 'agencyId=1']) {
      const res = await call('GET', `/api/v1/agency/cases?${query}`, bearer(agency.key));
      expect({ query, status: res.status }).toEqual({ query, status: 400 });
    }
  });

  it("shows its own case's links, missing elements, letters sent and status history, and nothing internal", async () => {
    const agency = await createAgency();
    const legal = await createStaff(client, 'legal', { name: `Lena Legal ${uniqueId()}` });
    const filed = await file(bearer(agency.key), { signature: undefined });
    expect(filed.status).toBe(201);
    const caseId = filed.body.caseId;
    const note = `Internal note ${uniqueId()}: sender looks like a repeat abuser`;
    const reason = `Internal reason ${uniqueId()}`;
    const { rows: texts } = await client.query<{ id: string }>(
      `INSERT INTO case_texts (case_id, author, kind, text) VALUES ($1, $2, 'note', $3), ($1, $2, 'reason', $4)
       RETURNING id`,
      [caseId, legal.id, note, reason],
    );
    await client.query(
      `INSERT INTO audit_events (case_id, actor, action, detail, at) VALUES
         ($1, 'worker', 'case.routed', '{"status": "needs_info", "searchMatches": 0}', now() + interval '1 second'),
         ($1, $2, 'note.added', $3, now() + interval '2 seconds'),
         ($1, $2, 'case.transitioned', $4, now() + interval '3 seconds')`,
      [
        caseId,
        legal.id,
        JSON.stringify({ noteText: texts[0].id }),
        JSON.stringify({ from: 'needs_info', to: 'in_review', reasonText: texts[1].id }),
      ],
    );
    const uploaderSubject = `Content removed ${uniqueId()}`;
    await client.query(
      `INSERT INTO letters (case_id, kind, dedupe_key, recipient, subject, text, html, status, sent_at) VALUES
         ($1, 'receipt', $2, 'jane@rights-holder.example.org', 'We received your copyright notice', 'body-r', '<p>body-r</p>', 'sent', now()),
         ($1, 'uploader', $3, 'uploader@example.net', $4, 'body-u', '<p>body-u</p>', 'sent', now()),
         ($1, 'deficiency', $5, 'jane@rights-holder.example.org', 'Not yet sent', 'body-d', '<p>body-d</p>', 'queued', NULL)`,
      [caseId, `r-${caseId}`, `u-${caseId}`, uploaderSubject, `d-${caseId}`],
    );

    const res = await call('GET', `/api/v1/agency/cases/${filed.body.reference}`, bearer(agency.key));
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      reference: filed.body.reference,
      status: 'needs_info',
      kind: 'takedown',
      createdAt: expect.any(String),
      linkCounts: { pending: 1, ignored: 1 },
      statusUrl: filed.body.statusUrl,
      missing: [{ element: 'signature', title: expect.any(String), howToSupply: expect.any(String) }],
      links: [
        {
          url: 'https://acme-software.com/studio',
          classification: 'external_other',
          provider: null,
          role: 'original',
          status: 'ignored',
        },
        { url: filed.url, classification: 'external_disk', provider: 'mega', role: 'infringing', status: 'pending' },
      ],
      letters: [{ kind: 'receipt', subject: 'We received your copyright notice', sentAt: expect.any(String) }],
      history: [
        { at: expect.any(String), from: null, to: 'needs_info' },
        { at: expect.any(String), from: 'needs_info', to: 'in_review' },
      ],
    });
    for (const secret of [
      note,
      reason,
      ...texts.map((t) => t.id),
      legal.id,
      legal.name,
      legal.email,
      uploaderSubject,
      'uploader@example.net',
    ]) {
      expect(res.text).not.toContain(secret);
    }
    expect(res.text).not.toContain('body-r');

    // A staff decision on an element counts; who made it and why do not show.
    const overrideReason = `Signed on the attached scan ${uniqueId()}`;
    await client.query(`UPDATE cases SET element_overrides = $2 WHERE id = $1`, [
      caseId,
      JSON.stringify({ signature: { present: true, reason: overrideReason, by: legal.id, at: new Date() } }),
    ]);
    const decided = await call('GET', `/api/v1/agency/cases/${filed.body.reference}`, bearer(agency.key));
    expect(decided.body.missing).toEqual([]);
    expect(decided.text).not.toContain(overrideReason);
    expect(decided.text).not.toContain(legal.id);
  });

  it('answers 404 for a case filed anonymously or by another agency, and 401 without a key', async () => {
    const agency = await createAgency();
    const other = await createAgency();
    const anonymous = await file({});
    const others = await file(bearer(other.key));
    for (const reference of [anonymous.body.reference, others.body.reference, 'DMCA-1999-000001']) {
      const res = await call('GET', `/api/v1/agency/cases/${reference}`, bearer(agency.key));
      expect({ reference, status: res.status }).toEqual({ reference, status: 404 });
    }
    expect((await call('GET', `/api/v1/agency/cases/${others.body.reference}`, bearer(other.key))).status).toBe(200);

    const admin401 = await call('GET', '/api/v1/agency/cases', bearer(admin.token));
    expect(admin401.status).toBe(401);
    const none = await call('GET', `/api/v1/agency/cases/${others.body.reference}`);
    expect(none.status).toBe(401);
    expect(none.body.message).toContain('Authorization: Bearer tda_');
  });

  it('refuses a revoked key with 401 on filing and reading; the cases stay', async () => {
    const agency = await createAgency();
    const filed = await file(bearer(agency.key));
    expect((await call('GET', `/api/v1/agency/cases/${filed.body.reference}`, bearer(agency.key))).status).toBe(200);

    expect((await call('DELETE', `/api/v1/staff/agencies/${agency.id}`, bearer(admin.token))).status).toBe(204);
    expect((await call('DELETE', `/api/v1/staff/agencies/${agency.id}`, bearer(admin.token))).status).toBe(404);
    const listed = await call('GET', '/api/v1/staff/agencies', bearer(admin.token));
    expect(listed.body.find((a: { id: string }) => a.id === agency.id).revokedAt).toEqual(expect.any(String));

    const refiled = await file(bearer(agency.key));
    expect(refiled.status).toBe(401);
    expect(refiled.body.message).toContain('revoked');
    expect(await linksReported(refiled.url)).toBe(0);
    expect((await call('GET', '/api/v1/agency/cases', bearer(agency.key))).status).toBe(401);
    expect((await call('GET', `/api/v1/agency/cases/${filed.body.reference}`, bearer(agency.key))).status).toBe(401);
    const { rows } = await client.query(`SELECT agency_id FROM cases WHERE id = $1`, [filed.body.caseId]);
    expect(rows[0].agency_id).toBe(agency.id);
  });

  it("keeps an agency's Idempotency-Keys its own: another caller's same key and body do not replay its case", async () => {
    const agency = await createAgency();
    const key = `batch-${uniqueId()}`;
    const body = completeNotice([`https://mega.nz/file/${uniqueId()}`]);
    const first = await postJson(api.url, '/api/v1/notices', body, { ...bearer(agency.key), 'idempotency-key': key });
    expect(first.status).toBe(201);
    const again = await postJson(api.url, '/api/v1/notices', body, { ...bearer(agency.key), 'idempotency-key': key });
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(again.body.reference).toBe(first.body.reference);

    const stranger = await postJson(api.url, '/api/v1/notices', body, { 'idempotency-key': key });
    expect(stranger.status).toBe(201);
    expect(stranger.headers.get('idempotent-replayed')).toBeNull();
    expect(stranger.body.reference).not.toBe(first.body.reference);
  });

  it('documents the agency routes in the OpenAPI document', async () => {
    const doc: any = await (await fetch(`${api.url}/api/docs-json`)).json();
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining([
        '/api/v1/agency/cases',
        '/api/v1/agency/cases/{reference}',
        '/api/v1/staff/agencies',
        '/api/v1/staff/agencies/{id}',
      ]),
    );
    expect(doc.paths['/api/v1/agency/cases'].get.responses['200'].content['application/json'].schema).toEqual({
      $ref: '#/components/schemas/AgencyCaseListDto',
    });
    expect(Object.keys(doc.components.schemas.AgencyCaseDetailDto.properties)).toEqual(
      expect.arrayContaining(['links', 'missing', 'letters', 'history']),
    );
  });
});
