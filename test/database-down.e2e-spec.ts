import { type AddressInfo, createServer } from 'node:net';
import { Client, Pool } from 'pg';
import { DataSource, QueryFailedError } from 'typeorm';
import { isDatabaseUnavailable } from '../src/core/http/database-unavailable';
import { completeNotice, postJson } from './support/factories';
import { db, type RunningApi, startApi, uniqueId, waitFor } from './support/harness';
import { TEST_DATABASE_URL } from './support/env';
import { PgProxy } from './support/pg-proxy';
import { createStaff, openSignIn, signIn, type StaffFixture } from './support/staff';

const HTML = { accept: 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8' };

/**
 * The API reaches Postgres through a proxy of the test's own, which the test cuts: every request then answers 503
 * with Retry-After (JSON for the API, a page for a browser), /health says Postgres is down, and once Postgres is
 * back the same requests work again. The machine's Postgres is never stopped.
 */
describe('while Postgres is down', () => {
  let proxy: PgProxy;
  let api: RunningApi;
  let client: Client;
  let legal: StaffFixture;
  let session: string;
  let statusPath: string;

  beforeAll(async () => {
    client = await db();
    proxy = await PgProxy.start(TEST_DATABASE_URL);
    api = await startApi({ DATABASE_URL: proxy.url });
    legal = await createStaff(client, 'legal');
    session = await signIn(api.url, legal);
    const filed = await postJson(api.url, '/api/v1/notices', completeNotice([`https://mega.nz/file/${uniqueId()}`]));
    expect(filed.status).toBe(201);
    statusPath = new URL(filed.body.statusUrl as string).pathname;
  });

  afterAll(async () => {
    await proxy?.open();
    await api?.close();
    await proxy?.cut();
    await client?.end();
  });

  const request = async (path: string, init: RequestInit = {}) => {
    const res = await fetch(api.url + path, { redirect: 'manual', ...init });
    const text = await res.text();
    return { status: res.status, headers: res.headers, text };
  };
  const notice = () =>
    request('/api/v1/notices', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(completeNotice([`https://mega.nz/file/${uniqueId()}`])),
    });

  it('answers 503 with Retry-After to every kind of request, and works again once Postgres is back', async () => {
    await proxy.cut();

    const { csrf, cookie } = await openSignIn(api.url);
    const [filing, queueApi, statusApi, statusPage, staffPage, signInPost] = await Promise.all([
      notice(),
      request('/api/v1/staff/cases', { headers: { authorization: `Bearer ${legal.token}` } }),
      request(`/api/v1${statusPath}`),
      request(statusPath, { headers: HTML }),
      request('/staff', { headers: { ...HTML, cookie: session } }),
      request('/staff/login', {
        method: 'POST',
        headers: { ...HTML, 'content-type': 'application/x-www-form-urlencoded', cookie },
        body: new URLSearchParams({ _csrf: csrf, email: legal.email, password: legal.password }).toString(),
      }),
    ]);

    for (const res of [filing, queueApi, statusApi]) {
      expect({ status: res.status, retryAfter: res.headers.get('retry-after') }).toEqual({
        status: 503,
        retryAfter: expect.stringMatching(/^\d+$/),
      });
      expect(res.headers.get('content-type')).toMatch(/application\/json/);
      expect(JSON.parse(res.text)).toEqual({
        statusCode: 503,
        error: 'SERVICE_UNAVAILABLE',
        message: expect.stringMatching(/database/i),
      });
    }
    for (const res of [statusPage, staffPage, signInPost]) {
      expect({ status: res.status, retryAfter: res.headers.get('retry-after') }).toEqual({
        status: 503,
        retryAfter: expect.stringMatching(/^\d+$/),
      });
      expect(res.headers.get('content-type')).toMatch(/text\/html/);
      expect(res.text).toMatch(/database/i);
    }

    const health = await request('/health');
    expect(health.status).toBe(503);
    expect(health.headers.get('retry-after')).toMatch(/^\d+$/);
    expect(JSON.parse(health.text)).toMatchObject({ status: 'down', postgres: 'down' });

    await proxy.open();
    await waitFor('the API to reach Postgres again', async () => (await notice()).status === 201);
    // No worker runs here, so /health stays 503, but no longer for Postgres.
    expect(JSON.parse((await request('/health')).text)).toMatchObject({ status: 'degraded', postgres: 'up' });
    expect((await request('/staff', { headers: { ...HTML, cookie: session } })).status).toBe(200);
  });
});

describe('while Postgres does not answer at all (a network partition)', () => {
  let proxy: PgProxy;
  let api: RunningApi;

  beforeAll(async () => {
    proxy = await PgProxy.start(TEST_DATABASE_URL);
    api = await startApi({ DATABASE_URL: proxy.url, DATABASE_CONNECT_TIMEOUT_MS: '1000' });
  });

  afterAll(async () => {
    proxy?.answer();
    await api?.close();
    await proxy?.cut();
  });

  it('answers 503 once DATABASE_CONNECT_TIMEOUT_MS has passed, instead of leaving the request hanging', async () => {
    proxy.silence();
    const [filing, health] = await Promise.all([
      fetch(`${api.url}/api/v1/notices`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(completeNotice([`https://mega.nz/file/${uniqueId()}`])),
      }),
      fetch(`${api.url}/health`),
    ]);
    expect({ status: filing.status, retryAfter: filing.headers.get('retry-after') }).toEqual({
      status: 503,
      retryAfter: expect.stringMatching(/^\d+$/),
    });
    expect(health.status).toBe(503);

    proxy.answer();
    await waitFor(
      'the API to reach Postgres again',
      async () => ((await (await fetch(`${api.url}/health`)).json()) as { postgres: string }).postgres === 'up',
    );
  });
});

/** The errors Postgres, node-postgres and TypeORM really give, made for real, and what the filter makes of them. */
describe('recognising an unreachable database', () => {
  let dataSource: DataSource;
  let client: Client;

  beforeAll(async () => {
    client = await db();
    dataSource = await new DataSource({ type: 'postgres', url: TEST_DATABASE_URL, extra: { max: 2 } }).initialize();
  });

  afterAll(async () => {
    await dataSource?.destroy();
    await client?.end();
  });

  const rejection = async (work: () => Promise<unknown>): Promise<unknown> => {
    try {
      await work();
    } catch (error) {
      return error;
    }
    throw new Error('expected the work to fail');
  };

  it('a refused connection (ECONNREFUSED)', async () => {
    const proxy = await PgProxy.start(TEST_DATABASE_URL);
    await proxy.cut();
    const refused = new Client({ connectionString: proxy.url });
    const error = await rejection(() => refused.connect());
    expect(error).toMatchObject({ code: 'ECONNREFUSED' });
    expect(isDatabaseUnavailable(error)).toBe(true);
  });

  it('a query cut off by a server shutdown (57P01, through TypeORM)', async () => {
    const running = rejection(() => dataSource.query(`SELECT pg_sleep(30), 'h5-shutdown-probe'`));
    await waitFor('the query to be running', async () => {
      const { rows } = await client.query(
        `SELECT pg_terminate_backend(pid) AS done FROM pg_stat_activity
          WHERE query LIKE '%h5-shutdown-probe%' AND pid <> pg_backend_pid() AND query NOT LIKE '%pg_stat_activity%'`,
      );
      return rows.length > 0;
    });
    const error = await running;
    expect(error).toBeInstanceOf(QueryFailedError);
    expect(error).toMatchObject({ driverError: { code: '57P01' } });
    expect(isDatabaseUnavailable(error)).toBe(true);
  });

  it('a pool that cannot get a connection in time', async () => {
    const silent = createServer(() => undefined); // takes the connection and never answers
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const pool = new Pool({
      host: '127.0.0.1',
      port: (silent.address() as AddressInfo).port,
      user: 'postgres',
      connectionTimeoutMillis: 200,
    });
    try {
      const error = await rejection(() => pool.query('SELECT 1'));
      expect(String(error)).toMatch(/timeout/);
      expect(isDatabaseUnavailable(error)).toBe(true);
    } finally {
      await pool.end();
      silent.close();
    }
  });

  it('but not a query that is wrong, nor a division by zero', async () => {
    const badEnum = await rejection(() => dataSource.query(`SELECT 'fax'::notice_channel`));
    const division = await rejection(() =>
      dataSource.query(`SELECT * FROM (VALUES (1), (1)) v(n) GROUP BY n HAVING 1/0 = 1`),
    );
    expect(badEnum).toMatchObject({ driverError: { code: '22P02' } });
    expect(division).toMatchObject({ driverError: { code: '22012' } });
    expect(isDatabaseUnavailable(badEnum)).toBe(false);
    expect(isDatabaseUnavailable(division)).toBe(false);
  });
});
