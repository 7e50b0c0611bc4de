import type { Client } from 'pg';
import { createCatalogPage } from './support/factories';
import { db, type RunningApi, startApi, uniqueId } from './support/harness';
import { openedRows } from './support/sealed';

/** The public form as a browser without JavaScript uses it: a GET, a cookie, a urlencoded POST, a redirect. */
async function openForm(api: RunningApi): Promise<{ csrf: string; cookie: string; html: string }> {
  const res = await fetch(`${api.url}/notices/new`);
  const html = await res.text();
  const csrf = /name="_csrf" value="([^"]+)"/.exec(html)?.[1];
  const cookie = res.headers.get('set-cookie')?.split(';')[0];
  if (!csrf || !cookie) throw new Error('The form carries no CSRF token');
  return { csrf, cookie, html };
}

async function submit(api: RunningApi, cookie: string, fields: Record<string, string>): Promise<Response> {
  return fetch(`${api.url}/notices`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded', cookie },
    body: new URLSearchParams(fields).toString(),
  });
}

const complete = (csrf: string, url: string): Record<string, string> => ({
  _csrf: csrf,
  name: 'Jane Roe',
  company: 'Acme Software Ltd',
  email: 'jane@acme-software.com',
  phone: '+1 415 555 0100',
  address: '1 Market St, San Francisco, CA 94105',
  role: 'owner',
  workDescription: 'Acme Studio 5, a photo editor',
  workUrl: 'https://acme-software.com/studio',
  infringingUrls: `${url}\nhttps://mega.nz/file/${uniqueId()}`,
  searchTerms: 'Acme Studio, Acme Studio 5',
  goodFaith: 'yes',
  perjury: 'yes',
  signature: 'Jane Roe',
  consent: 'yes',
});

describe('public notice form', () => {
  let api: RunningApi;
  let client: Client;

  beforeAll(async () => {
    client = await db();
    api = await startApi();
  });

  afterAll(async () => {
    await api?.close();
    await client?.end();
  });

  it('shows labelled fields, the statements in full and the privacy notice', async () => {
    const { html } = await openForm(api);
    for (const id of ['name', 'email', 'workDescription', 'infringingUrls', 'searchTerms', 'signature']) {
      expect(html).toContain(`<label for="${id}"`);
    }
    expect(html).toContain(
      'I have a good faith belief that use of the material in the manner complained of is not authorized',
    );
    expect(html).toContain('under penalty of perjury, I am the owner, or authorized to act on behalf of the owner');
    // What the product does: the uploader learns who claimed the work, never how to reach the sender.
    expect(html).toMatch(
      /The person who uploaded the material is told your name and company and what we\s+removed, never your email address, telephone or postal address/,
    );
    expect(html).toContain('<a href="/privacy">Our privacy notice</a>');
    expect(html).not.toContain('<script');
  });

  it('files a complete notice and redirects to a status page with the reference and each link', async () => {
    const page = await createCatalogPage(client);
    const url = `https://example.com/d/${page.downloads[0].id}`;
    const { csrf, cookie } = await openForm(api);
    const res = await submit(api, cookie, complete(csrf, url));
    expect(res.status).toBe(303);
    const location = res.headers.get('location') ?? '';
    expect(location).toMatch(/^\/status\/[A-Za-z0-9_-]{32}$/);

    const statusPage = await fetch(api.url + location);
    expect(statusPage.headers.get('cache-control')).toBe('no-store');
    const html = await statusPage.text();
    const reference = /Case (DMCA-\d{4}-\d{6})/.exec(html)?.[1];
    expect(reference).toBeDefined();
    expect(html).toContain(url);
    expect(html).toContain('external_disk (mega)');
    expect(html).toContain('Identification of the copyrighted work');
    expect(html).not.toContain('<strong>Missing</strong>');
    // The status link may be forwarded: the sender's email and phone are not shown on it.
    expect(html).not.toContain('jane@acme-software.com');
    expect(html).not.toContain('555 0100');
    expect(html).not.toContain('Jane Roe');
    expect(html).not.toContain('1 Market St');
    expect(html).toContain('Provided (not shown here: personal data)');

    const { rows } = await client.query(
      `SELECT c.status, c.checklist->'missing' AS missing, n.channel, p.email
       FROM cases c JOIN notices n ON n.case_id = c.id JOIN parties p ON p.case_id = c.id AND p.role = 'complainant'
       WHERE c.reference = $1`,
      [reference],
    );
    await openedRows(client, rows, ['email']);
    expect(rows).toEqual([{ status: 'received', missing: [], channel: 'form', email: 'jane@acme-software.com' }]);
  });

  it('shows inline errors and keeps what was typed', async () => {
    const { csrf, cookie } = await openForm(api);
    const fields = { ...complete(csrf, 'https://example.com/d/5'), email: 'jane at acme', perjury: '', signature: '' };
    const res = await submit(api, cookie, fields);
    expect(res.status).toBe(400);
    const html = await res.text();
    expect(html).toContain('Enter a valid email address');
    expect(html).toContain('You must affirm the statement made under penalty of perjury');
    expect(html).toContain('Sign by typing your full legal name');
    expect(html).toContain('value="jane at acme"');
    expect(html).toContain('value="Acme Studio, Acme Studio 5"');
    expect(html).toContain('aria-invalid="true" aria-describedby="email-error"');
  });

  it('escapes what was typed', async () => {
    const { csrf, cookie } = await openForm(api);
    const res = await submit(api, cookie, { ...complete(csrf, 'x'), email: '', name: '"><script>alert(1)</script>' });
    const html = await res.text();
    expect(html).not.toContain('<script>alert(1)</script>');
    expect(html).toContain('&quot;&gt;&lt;script&gt;');
  });

  it('refuses a post without the CSRF cookie and token', async () => {
    const { csrf } = await openForm(api);
    const before = (await client.query(`SELECT count(*)::int AS n FROM cases`)).rows[0].n;
    const res = await submit(
      api,
      'td_csrf=someone-elses-token-aaaaaaaaaaaaaaaaaaaaa',
      complete(csrf, 'https://example.com/d/9'),
    );
    expect(res.status).toBe(403);
    expect(await res.text()).toContain('Your session expired');
    expect((await client.query(`SELECT count(*)::int AS n FROM cases`)).rows[0].n).toBe(before);
  });

  it('limits how many notices one address may post', async () => {
    // An API of its own, so that no other test has used up the quota.
    const limited = await startApi({ FORM_RATE_LIMIT: '3' });
    try {
      const { csrf, cookie } = await openForm(limited);
      const statuses: number[] = [];
      for (let i = 0; i < 5; i++) {
        statuses.push(
          (await submit(limited, cookie, { ...complete(csrf, 'https://example.com/d/7'), email: '' })).status,
        );
      }
      expect(statuses).toEqual([400, 400, 400, 429, 429]);
    } finally {
      await limited.close();
    }
  });
});
