import type { Client } from 'pg';
import { runCli, type CliOutput } from '../src/cli';
import { db, type RunningApi, startApi, uniqueId } from './support/harness';

function capture(input?: string): CliOutput & { stdout: string; stderr: string } {
  const io = {
    stdout: '',
    stderr: '',
    out(line: string) {
      io.stdout += line;
    },
    err(line: string) {
      io.stderr += line;
    },
    readInput: input === undefined ? undefined : () => Promise.resolve(input),
  };
  return io;
}

/** A JSON answer, loosely typed as tests read it. */
const json = (res: Response): Promise<any> => res.json();

const staffEmail = (role: string): string => `${role}-${uniqueId()}@Staff.Example.org`;

async function openLogin(api: RunningApi): Promise<{ csrf: string; cookie: string; html: string }> {
  const res = await fetch(`${api.url}/staff/login`);
  const html = await res.text();
  const csrf = /name="_csrf" value="([^"]+)"/.exec(html)?.[1];
  const cookie = res.headers.get('set-cookie')?.split(';')[0];
  if (!csrf || !cookie) throw new Error('The sign-in page carries no CSRF token');
  return { csrf, cookie, html };
}

async function postLogin(api: RunningApi, email: string, password: string, headers: Record<string, string> = {}) {
  const { csrf, cookie } = await openLogin(api);
  return fetch(`${api.url}/staff/login`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded', cookie, ...headers },
    body: new URLSearchParams({ _csrf: csrf, email, password }).toString(),
  });
}

function sessionCookie(res: Response): string | undefined {
  return res.headers
    .getSetCookie()
    .find((c) => c.startsWith('td_session='))
    ?.split(';')[0];
}

async function signIn(api: RunningApi, email: string, password: string): Promise<string> {
  const res = await postLogin(api, email, password);
  const cookie = sessionCookie(res);
  if (res.status !== 303 || !cookie) throw new Error(`Sign-in failed with ${res.status}`);
  return cookie;
}

function call(api: RunningApi, method: string, path: string, auth: Record<string, string>, body?: unknown) {
  return fetch(`${api.url}${path}`, {
    method,
    redirect: 'manual',
    headers: { ...auth, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
}

describe('staff accounts, sign-in and roles', () => {
  let api: RunningApi;
  let client: Client;
  let adminEmail: string;
  let adminPassword: string;
  let admin: string;

  beforeAll(async () => {
    client = await db();
    api = await startApi();
    adminEmail = staffEmail('admin');
    const io = capture();
    expect(await runCli(['create-admin', adminEmail, '--name', 'Ada Admin'], io)).toBe(0);
    adminPassword = /Password \(shown once, store it now\): (\S+)/.exec(io.stdout)?.[1] ?? '';
    expect(adminPassword.length).toBeGreaterThanOrEqual(20);
    admin = await signIn(api, adminEmail, adminPassword);
  });

  afterAll(async () => {
    await api?.close();
    await client?.end();
  });

  async function createStaff(role: 'legal' | 'viewer'): Promise<{ email: string; password: string; cookie: string }> {
    const email = staffEmail(role);
    const password = `pw-${uniqueId()}-long-enough`;
    const res = await call(
      api,
      'POST',
      '/api/v1/staff/users',
      { cookie: admin },
      { email, name: role, role, password },
    );
    expect(res.status).toBe(201);
    return { email, password, cookie: await signIn(api, email, password) };
  }

  it('create-admin stores a lower-cased email and an argon2id hash, and refuses the same email again', async () => {
    const { rows } = await client.query(`SELECT email, name, role, password_hash FROM staff_users WHERE email = $1`, [
      adminEmail.toLowerCase(),
    ]);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ email: adminEmail.toLowerCase(), name: 'Ada Admin', role: 'admin' });
    expect(rows[0].password_hash).toMatch(/^\$argon2id\$/);

    const again = capture();
    expect(await runCli(['create-admin', adminEmail.toUpperCase()], again)).toBe(1);
    expect(again.stderr).toBe(`A staff account for ${adminEmail.toLowerCase()} already exists.\n`);
  });

  it('create-admin --password-stdin takes the password from standard input and prints none', async () => {
    const email = staffEmail('admin');
    const io = capture('a-password-from-stdin\n');
    expect(await runCli(['create-admin', email, '--password-stdin'], io)).toBe(0);
    expect(io.stdout).not.toContain('Password');
    await signIn(api, email, 'a-password-from-stdin');
    const short = capture('short\n');
    expect(await runCli(['create-admin', staffEmail('admin'), '--password-stdin'], short)).toBe(1);
    expect(short.stderr).toContain('at least 12 characters');
  });

  it('serves a sign-in page with a CSRF token, no script and no caching', async () => {
    const res = await fetch(`${api.url}/staff/login`);
    expect(res.headers.get('cache-control')).toBe('no-store');
    const html = await res.text();
    expect(html).toMatch(/<input type="hidden" name="_csrf" value="[A-Za-z0-9_-]{32}\.[A-Za-z0-9_-]{43}">/);
    expect(html).toContain('<label for="password">');
    expect(html).not.toContain('<script');
  });

  it('refuses a sign-in without the CSRF token', async () => {
    const res = await fetch(`${api.url}/staff/login`, {
      method: 'POST',
      redirect: 'manual',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ email: adminEmail, password: adminPassword }).toString(),
    });
    expect(res.status).toBe(403);
    expect(sessionCookie(res)).toBeUndefined();
  });

  it('answers a wrong password with 401, the error and no session, the same as an unknown email', async () => {
    for (const [email, password] of [
      [adminEmail, 'not-the-password'],
      [staffEmail('nobody'), adminPassword],
    ]) {
      const res = await postLogin(api, email, password);
      expect(res.status).toBe(401);
      expect(sessionCookie(res)).toBeUndefined();
      const html = await res.text();
      expect(html).toContain('The email address or password is not right.');
      expect(html).toContain(`value="${email}"`);
    }
  });

  it('signs in with an HttpOnly, SameSite=Lax session cookie that the API accepts, Secure over TLS', async () => {
    const res = await postLogin(api, adminEmail.toUpperCase(), adminPassword);
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/staff');
    const setCookie = res.headers.getSetCookie().find((c) => c.startsWith('td_session=')) ?? '';
    expect(setCookie).toMatch(/HttpOnly/);
    expect(setCookie).toMatch(/SameSite=Lax/);
    expect(setCookie).toMatch(/Path=\//);
    expect(setCookie).not.toMatch(/Secure/);
    const token = /^td_session=([^;]+)/.exec(setCookie)?.[1] ?? '';
    // Only the token's hash is stored.
    const { rows } = await client.query(`SELECT count(*)::int AS n FROM staff_sessions WHERE id = $1`, [token]);
    expect(rows[0].n).toBe(0);

    const me = await call(api, 'GET', '/api/v1/staff/me', { cookie: sessionCookie(res) ?? '' });
    expect(me.status).toBe(200);
    expect(await json(me)).toEqual({
      id: expect.any(String),
      email: adminEmail.toLowerCase(),
      name: 'Ada Admin',
      role: 'admin',
    });
    const page = await fetch(`${api.url}/staff`, { headers: { cookie: sessionCookie(res) ?? '' } });
    expect(await page.text()).toContain('You are signed in as Ada Admin');

    const overTls = await postLogin(api, adminEmail, adminPassword, { 'x-forwarded-proto': 'https' });
    expect(overTls.headers.getSetCookie().find((c) => c.startsWith('td_session='))).toMatch(/; Secure/);
  });

  it('signs out: the session no longer works', async () => {
    const cookie = await signIn(api, adminEmail, adminPassword);
    const { csrf, cookie: csrfCookie } = await openLogin(api);
    const res = await fetch(`${api.url}/staff/logout`, {
      method: 'POST',
      redirect: 'manual',
      headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: `${cookie}; ${csrfCookie}` },
      body: new URLSearchParams({ _csrf: csrf }).toString(),
    });
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/staff/login');
    expect(res.headers.getSetCookie().find((c) => c.startsWith('td_session='))).toMatch(/Expires=Thu, 01 Jan 1970/);
    expect((await call(api, 'GET', '/api/v1/staff/me', { cookie })).status).toBe(401);
  });

  it('sends anonymous visitors of staff pages to the sign-in page', async () => {
    const res = await fetch(`${api.url}/staff`, { redirect: 'manual' });
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/staff/login');
  });

  it('works with an API token until it is revoked; the token is shown once and stored hashed', async () => {
    const created = await call(api, 'POST', '/api/v1/staff/tokens', { cookie: admin }, { name: 'nightly export' });
    expect(created.status).toBe(201);
    const body = await json(created);
    expect(body).toMatchObject({ name: 'nightly export', token: expect.stringMatching(/^tdk_[A-Za-z0-9_-]{43}$/) });
    const { rows } = await client.query(`SELECT token_hash FROM api_tokens WHERE id = $1`, [body.id]);
    expect(rows[0].token_hash).toMatch(/^[0-9a-f]{64}$/);
    expect(rows[0].token_hash).not.toContain(body.token);

    const bearer = { authorization: `Bearer ${body.token}` };
    const me = await call(api, 'GET', '/api/v1/staff/me', bearer);
    expect(me.status).toBe(200);
    expect((await json(me)).email).toBe(adminEmail.toLowerCase());

    expect((await call(api, 'DELETE', `/api/v1/staff/tokens/${body.id}`, bearer)).status).toBe(204);
    expect((await call(api, 'GET', '/api/v1/staff/me', bearer)).status).toBe(401);
    expect((await call(api, 'DELETE', `/api/v1/staff/tokens/${body.id}`, { cookie: admin })).status).toBe(404);
    expect((await call(api, 'GET', '/api/v1/staff/me', { authorization: 'Bearer tdk_forged' })).status).toBe(401);
  });

  it("lets no one but an admin revoke another's token", async () => {
    const viewer = await createStaff('viewer');
    const legal = await createStaff('legal');
    const res = await call(api, 'POST', '/api/v1/staff/tokens', { cookie: viewer.cookie }, { name: 'mine' });
    const { id, token } = await json(res);
    expect((await call(api, 'DELETE', `/api/v1/staff/tokens/${id}`, { cookie: legal.cookie })).status).toBe(404);
    expect((await call(api, 'GET', '/api/v1/staff/me', { authorization: `Bearer ${token}` })).status).toBe(200);
    expect((await call(api, 'DELETE', `/api/v1/staff/tokens/${id}`, { cookie: admin })).status).toBe(204);
  });

  it('lets only admins create staff accounts', async () => {
    const viewer = await createStaff('viewer');
    const legal = await createStaff('legal');
    const newUser = () => ({ email: staffEmail('viewer'), name: 'New', role: 'viewer', password: 'long-enough-pw' });
    for (const who of [viewer, legal]) {
      const res = await call(api, 'POST', '/api/v1/staff/users', { cookie: who.cookie }, newUser());
      expect(res.status).toBe(403);
    }
    const { email } = newUser();
    const ok = await call(api, 'POST', '/api/v1/staff/users', { cookie: admin }, { ...newUser(), email });
    expect(ok.status).toBe(201);
    expect(await json(ok)).toMatchObject({ email: email.toLowerCase(), role: 'viewer' });
    const dup = await call(api, 'POST', '/api/v1/staff/users', { cookie: admin }, { ...newUser(), email });
    expect(dup.status).toBe(409);
    const bad = await call(api, 'POST', '/api/v1/staff/users', { cookie: admin }, { ...newUser(), role: 'root' });
    expect(bad.status).toBe(400);
  });

  it('refuses a cookie-only API post that is not JSON, as a cross-site form would send it', async () => {
    const res = await fetch(`${api.url}/api/v1/staff/tokens`, {
      method: 'POST',
      headers: { cookie: admin, 'content-type': 'application/x-www-form-urlencoded' },
      body: 'name=planted',
    });
    expect(res.status).toBe(403);
    const { rows } = await client.query(`SELECT count(*)::int AS n FROM api_tokens WHERE name = 'planted'`);
    expect(rows[0].n).toBe(0);
  });

  it('refuses anonymous callers on every staff API route with 401', async () => {
    const routes: [string, string, unknown?][] = [
      ['GET', '/api/v1/staff/me'],
      ['POST', '/api/v1/staff/tokens', { name: 'x' }],
      ['DELETE', '/api/v1/staff/tokens/00000000-0000-4000-8000-000000000000'],
      ['POST', '/api/v1/staff/users', { email: 'a@b.org', name: 'a', role: 'admin', password: 'long-enough-pw' }],
    ];
    for (const [method, path, body] of routes) {
      for (const auth of [{}, { cookie: 'td_session=forged' }, { authorization: 'Bearer nonsense' }] as Record<
        string,
        string
      >[]) {
        const res = await call(api, method, path, auth, body);
        expect({ method, path, auth, status: res.status }).toEqual({ method, path, auth, status: 401 });
        expect((await json(res)).statusCode).toBe(401);
      }
    }
  });

  it('refuses a disabled account its sign-in, sessions and tokens', async () => {
    const legal = await createStaff('legal');
    const res = await call(api, 'POST', '/api/v1/staff/tokens', { cookie: legal.cookie }, { name: 'script' });
    const { token } = await json(res);
    await client.query(`UPDATE staff_users SET disabled_at = now() WHERE email = $1`, [legal.email.toLowerCase()]);
    expect((await call(api, 'GET', '/api/v1/staff/me', { cookie: legal.cookie })).status).toBe(401);
    expect((await call(api, 'GET', '/api/v1/staff/me', { authorization: `Bearer ${token}` })).status).toBe(401);
    expect((await postLogin(api, legal.email, legal.password)).status).toBe(401);
  });

  it('ends a session after 12 idle hours', async () => {
    const cookie = await signIn(api, adminEmail, adminPassword);
    await client.query(
      `UPDATE staff_sessions SET expires_at = now() - interval '1 second'
       WHERE id = encode(sha256(convert_to($1, 'UTF8')), 'hex')`,
      [cookie.slice('td_session='.length)],
    );
    expect((await call(api, 'GET', '/api/v1/staff/me', { cookie })).status).toBe(401);
  });
});
