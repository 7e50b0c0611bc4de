import { createHmac, randomBytes } from 'node:crypto';
import type { Client } from 'pg';
import { completeNotice, postJson } from './support/factories';
import { db, type RunningApi, startApi, uniqueId } from './support/harness';
import { createStaff, openSignIn, signIn, type StaffFixture } from './support/staff';
import { openedBytes } from './support/sealed';

const SECRET = 'bad-input-webhook-secret-0123456789';
const bearer = (token: string): Record<string, string> => ({ authorization: `Bearer ${token}` });
const message = (body: any): string => (Array.isArray(body?.message) ? body.message.join('\n') : String(body?.message));

/** `[[[…]]]` (or `{"a":{"a":…}}`) nested `depth` levels deep. */
const nestedArrays = (depth: number): string => '['.repeat(depth) + ']'.repeat(depth);
const nestedObjects = (depth: number): string => '{"a":'.repeat(depth) + '1' + '}'.repeat(depth);

/**
 * Inputs that Postgres or the validators cannot take answer 400 saying what is wrong, never 500: a NUL byte anywhere
 * in a body, query or path; a filter outside its list of values; JSON nested thousands of levels deep.
 */
describe('bad input answers 400 naming what is wrong', () => {
  let api: RunningApi;
  let client: Client;
  let legal: StaffFixture;
  let session: string;

  beforeAll(async () => {
    client = await db();
    api = await startApi({ INBOUND_WEBHOOK_SECRET: SECRET });
    legal = await createStaff(client, 'legal');
    session = await signIn(api.url, legal);
  });

  afterAll(async () => {
    await api?.close();
    await client?.end();
  });

  const get = async (path: string, headers: Record<string, string> = {}) => {
    const res = await fetch(api.url + path, { headers });
    const text = await res.text();
    let body: any = text;
    try {
      body = JSON.parse(text);
    } catch {
      /* a page */
    }
    return { status: res.status, body, text };
  };

  describe('a NUL byte', () => {
    it('in a nested JSON field is refused, naming the field, and nothing is written', async () => {
      const url = `https://mega.nz/file/${uniqueId()}`;
      const notice = completeNotice([url]);
      const res = await postJson(api.url, '/api/v1/notices', {
        ...notice,
        complainant: { ...(notice.complainant as object), name: 'Jane\u0000Roe' },
      });
      expect(res.status).toBe(400);
      expect(message(res.body)).toMatch(/complainant\.name .*NUL/);
      const { rows } = await client.query(`SELECT count(*)::int AS n FROM reported_links WHERE url = $1`, [url]);
      expect(rows[0].n).toBe(0);
    });

    it('in an array element or the free text is refused, naming where', async () => {
      const urls = postJson(api.url, '/api/v1/notices', {
        ...completeNotice([`https://mega.nz/file/${uniqueId()}`]),
        infringingUrls: ['https://mega.nz/file/1', 'https://mega.nz/file/\u00002'],
      });
      const text = postJson(api.url, '/api/v1/notices', {
        text: `I own it.\u0000 https://example.com/d/${uniqueId()}`,
      });
      const [a, b] = await Promise.all([urls, text]);
      expect(a.status).toBe(400);
      expect(message(a.body)).toMatch(/infringingUrls\[1\]/);
      expect(b.status).toBe(400);
      expect(message(b.body)).toMatch(/\btext\b.*NUL/);
    });

    it('in a field name is refused too', async () => {
      const res = await postJson(api.url, '/api/v1/notices', '{"te\\u0000xt": "hello"}');
      expect(res.status).toBe(400);
      expect(message(res.body)).toMatch(/NUL/);
    });

    it('in a staff API body is refused', async () => {
      const res = await postJson(
        api.url,
        '/api/v1/staff/cases/bulk',
        { references: ['DMCA-2026-000001\u0000'], action: 'approve' },
        bearer(legal.token),
      );
      expect(res.status).toBe(400);
      expect(message(res.body)).toMatch(/references\[0\]/);
    });

    it('in a query string filter is refused, naming the parameter', async () => {
      const res = await get('/api/v1/staff/cases?q=DMCA%00', bearer(legal.token));
      expect(res.status).toBe(400);
      expect(message(res.body)).toMatch(/\bq\b.*NUL/);
    });

    it('in a path parameter is refused', async () => {
      const [json, page] = await Promise.all([get('/api/v1/status/abc%00def'), get('/status/abc%00def')]);
      expect(json.status).toBe(400);
      expect(message(json.body)).toMatch(/NUL/);
      expect(page.status).toBe(400);
    });

    it('in the public form is refused, naming the field', async () => {
      const form = await fetch(`${api.url}/notices/new`);
      const csrf = /name="_csrf" value="([^"]+)"/.exec(await form.text())?.[1] ?? '';
      const cookie = form.headers.get('set-cookie')?.split(';')[0] ?? '';
      const res = await fetch(`${api.url}/notices`, {
        method: 'POST',
        redirect: 'manual',
        headers: { 'content-type': 'application/x-www-form-urlencoded', cookie },
        body: new URLSearchParams({
          _csrf: csrf,
          name: 'Jane\u0000Roe',
          email: 'jane@acme-software.com',
          role: 'owner',
          workDescription: 'Acme Studio 5',
          infringingUrls: `https://mega.nz/file/${uniqueId()}`,
          searchTerms: 'Acme Studio',
          goodFaith: 'yes',
          perjury: 'yes',
          signature: 'Jane Roe',
          consent: 'yes',
        }).toString(),
      });
      expect(res.status).toBe(400);
      expect(await res.text()).toMatch(/\bname\b.*NUL/);
    });

    it('in the staff sign-in form is refused', async () => {
      const { csrf, cookie } = await openSignIn(api.url);
      const res = await fetch(`${api.url}/staff/login`, {
        method: 'POST',
        redirect: 'manual',
        headers: { 'content-type': 'application/x-www-form-urlencoded', cookie },
        body: new URLSearchParams({ _csrf: csrf, email: `${legal.email}\u0000`, password: 'x' }).toString(),
      });
      expect(res.status).toBe(400);
      expect(await res.text()).toMatch(/\bemail\b.*NUL/);
    });

    it('in a raw message sent to the MIME webhook is kept: the message is bytes, not text', async () => {
      const raw = Buffer.concat([
        Buffer.from(
          `From: jane@rights-holder.test\r\nTo: dmca@example.com\r\nSubject: Notice\r\n` +
            `Message-ID: <${randomBytes(8).toString('hex')}@mail.test>\r\n\r\nI own it.`,
        ),
        Buffer.from([0]),
        Buffer.from(' https://example.com/d/1\r\n'),
      ]);
      const res = await fetch(`${api.url}/api/v1/inbound/email`, {
        method: 'POST',
        headers: {
          'content-type': 'message/rfc822',
          'x-inbound-signature': `sha256=${createHmac('sha256', SECRET).update(raw).digest('hex')}`,
        },
        body: raw,
      });
      expect(res.status).toBe(202);
      const { id } = (await res.json()) as { id: string };
      const { rows } = await client.query<{ raw: Buffer }>(`SELECT raw FROM inbound_messages WHERE id = $1`, [id]);
      expect((await openedBytes(client, rows[0].raw))?.equals(raw)).toBe(true);
    });
  });

  describe('a value outside its list', () => {
    it('for the staff queue API channel filter answers 400 listing the channels', async () => {
      const res = await get('/api/v1/staff/cases?channel=fax', bearer(legal.token));
      expect(res.status).toBe(400);
      expect(message(res.body)).toMatch(/channel must be one of the following values: api, form, email/);
    });

    it('for the staff queue page channel filter shows the page with the error, not a 500', async () => {
      const res = await get('/staff?channel=fax', { cookie: session });
      expect(res.status).toBe(400);
      expect(res.text).toMatch(/channel must be one of the following values: api, form, email/);
    });

    it('for the other queue filters answers 400 listing their values', async () => {
      const [status, missing, sort] = await Promise.all([
        get('/api/v1/staff/cases?status=received,lost', bearer(legal.token)),
        get('/api/v1/staff/cases?missing=nothing', bearer(legal.token)),
        get('/api/v1/staff/cases?sort=sideways', bearer(legal.token)),
      ]);
      expect(status.status).toBe(400);
      expect(message(status.body)).toMatch(/status must be one of the following values: received/);
      expect(missing.status).toBe(400);
      expect(message(missing.body)).toMatch(/missing must be one of the following values: .*any/);
      expect(sort.status).toBe(400);
      expect(message(sort.body)).toMatch(/sort must be one of the following values: /);
    });

    it('for the agency API status filter answers 400 listing the statuses', async () => {
      const created = await postJson(
        api.url,
        '/api/v1/staff/agencies',
        { name: `Agency ${uniqueId()}`, contactEmail: 'notices@agency.example.org' },
        bearer((await createStaff(client, 'admin')).token),
      );
      expect(created.status).toBe(201);
      const res = await get('/api/v1/agency/cases?status=lost', bearer(created.body.key));
      expect(res.status).toBe(400);
      expect(message(res.body)).toMatch(/status must be one of the following values: received/);
    });
  });

  describe('JSON nested thousands of levels deep', () => {
    it('answers 400 saying how deep a body may nest, on every JSON route', async () => {
      const [notice, objects, bulk] = await Promise.all([
        postJson(api.url, '/api/v1/notices', `{"complainant": ${nestedArrays(3_000)}}`),
        postJson(api.url, '/api/v1/notices', `{"work": ${nestedObjects(3_000)}}`),
        postJson(api.url, '/api/v1/staff/cases/bulk', `{"references": ${nestedArrays(3_000)}}`, bearer(legal.token)),
      ]);
      for (const res of [notice, objects, bulk]) {
        expect(res.status).toBe(400);
        expect(message(res.body)).toMatch(/nested deeper than 32 levels/);
      }
    });

    it('still takes a notice nested as deep as it needs', async () => {
      const res = await postJson(api.url, '/api/v1/notices', completeNotice([`https://mega.nz/file/${uniqueId()}`]));
      expect(res.status).toBe(201);
    });
  });
});
