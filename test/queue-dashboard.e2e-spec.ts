import { Queue } from 'bullmq';
import { mkdirSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import * as path from 'node:path';
import type { Client } from 'pg';
import type { Browser } from 'playwright-core';
import { JOB_RETRY, type JobItem, JobName, QueueName, jobIdFor } from '../src/core/queue/jobs';
import { redisOptionsFromUrl } from '../src/core/queue/redis-options';
import { launchBrowser } from './support/browser';
import { TEST_REDIS_URL } from './support/env';
import { completeNotice, postJson } from './support/factories';
import { db, type RunningApi, startApi, uniqueId, uniquePrefix, waitFor } from './support/harness';
import { ThrowawayRedis } from './support/redis-server';
import { createStaff, signIn, type StaffFixture } from './support/staff';

jest.setTimeout(120_000);

const OUTPUT = path.resolve(__dirname, '../test-output/screenshots');
const DASHBOARD = '/staff/queues';
const QUEUE_NAMES = Object.values(QueueName);

type Queues = Record<QueueName, Queue>;

function openQueues(redisUrl: string, prefix: string): Queues {
  const queues = {} as Queues;
  for (const name of QUEUE_NAMES) queues[name] = new Queue(name, { prefix, connection: redisOptionsFromUrl(redisUrl) });
  return queues;
}

/** Adds a job the way the outbox relay does, optionally delayed; returns its id. */
async function addJob(queues: Queues, item: JobItem, delay?: number): Promise<string> {
  const jobId = jobIdFor(item);
  await queues[item.queue].add(item.name, item.data, { ...JOB_RETRY, jobId, delay });
  return jobId;
}

const HOUR = 3_600_000;
const letter = (): JobItem => ({ queue: QueueName.Mail, name: JobName.SendLetter, data: { letterId: randomUUID() } });

const bearer = (staff: StaffFixture): Record<string, string> => ({ authorization: `Bearer ${staff.token}` });

/** One sample of a Prometheus text exposition, or undefined when the series is absent. */
function sample(text: string, series: string): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.split(' ')[1]);
}

async function scrape(api: RunningApi): Promise<string> {
  const res = await fetch(`${api.url}/metrics`);
  expect(res.status).toBe(200);
  return res.text();
}

describe('the queue dashboard at /staff/queues', () => {
  let api: RunningApi;
  let client: Client;
  let queues: Queues;
  let admin: StaffFixture;
  let legal: StaffFixture;
  let viewer: StaffFixture;
  let legalCookie: string;
  let viewerCookie: string;

  beforeAll(async () => {
    mkdirSync(OUTPUT, { recursive: true });
    client = await db();
    const prefix = uniquePrefix();
    api = await startApi({ QUEUE_PREFIX: prefix });
    queues = openQueues(TEST_REDIS_URL, prefix);
    admin = await createStaff(client, 'admin');
    legal = await createStaff(client, 'legal');
    viewer = await createStaff(client, 'viewer');
    [legalCookie, viewerCookie] = await Promise.all([signIn(api.url, legal), signIn(api.url, viewer)]);
  });

  afterAll(async () => {
    await api?.close();
    if (queues)
      await Promise.all(Object.values(queues).map(async (q) => q.obliterate({ force: true }).then(() => q.close())));
    await client?.end();
  });

  const get = (pathname: string, headers: Record<string, string> = {}): Promise<Response> =>
    fetch(`${api.url}${DASHBOARD}${pathname}`, { redirect: 'manual', headers });
  const put = (pathname: string, headers: Record<string, string> = {}): Promise<Response> =>
    fetch(`${api.url}${DASHBOARD}${pathname}`, { method: 'PUT', redirect: 'manual', headers });

  it('sends anonymous visitors to sign in, and answers its API 401', async () => {
    for (const page of ['', '/', '/queue/cases']) {
      const res = await get(page);
      expect(res.status).toBe(303);
      expect(res.headers.get('location')).toBe('/staff/login');
      expect(res.headers.get('cache-control')).toBe('no-store');
    }
    for (const res of [
      await get('/api/queues'),
      await get('/api/queues', { authorization: 'Bearer tdk_not-a-real-token' }),
      await get('/api/queues', { cookie: 'td_session=not-a-real-session' }),
      await put('/api/queues/mail/promote'),
    ]) {
      expect(res.status).toBe(401);
      expect(await res.json()).toMatchObject({ statusCode: 401, error: 'UNAUTHORIZED' });
    }
  });

  it('refuses viewers, by cookie and by token', async () => {
    for (const auth of [{ cookie: viewerCookie }, bearer(viewer)]) {
      for (const res of [await get('', auth), await get('/api/queues', auth)]) {
        expect(res.status).toBe(403);
        expect(await res.json()).toMatchObject({ message: 'The viewer role may not use the queue dashboard.' });
      }
    }
  });

  it('serves the board to legal and admin staff, under a policy that allows its script files and nothing inline', async () => {
    const page = await get('', { cookie: legalCookie });
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/^text\/html/);
    expect(page.headers.get('cache-control')).toBe('no-store');
    expect(page.headers.get('x-powered-by')).toBeNull();
    const html = await page.text();
    expect(html).toContain('<base href="/staff/queues/" />');
    expect(html).toContain('<title>Takedown Desk</title>');
    expect(html).toMatch(/<script defer src="static\/js\/main\.[0-9a-f]+\.js">/);
    const csp = page.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toMatch(/script-src[^;]*unsafe/);
    expect(csp).toContain("base-uri 'self'");
    expect(csp).toContain("frame-ancestors 'none'");
    const script = /src="(static\/js\/main\.[0-9a-f]+\.js)"/.exec(html)?.[1] ?? '';
    expect((await get(`/${script}`, { cookie: legalCookie })).status).toBe(200);

    // Everything else keeps the strict policy.
    expect((await fetch(`${api.url}/staff/login`)).headers.get('content-security-policy')).toContain("base-uri 'none'");

    for (const auth of [{ cookie: legalCookie }, bearer(admin), bearer(legal)]) {
      const res = await get('/api/queues', auth);
      expect(res.status).toBe(200);
      const body = (await res.json()) as { queues: { name: string }[] };
      expect(body.queues.map((q) => q.name).sort()).toEqual([...QUEUE_NAMES].sort());
    }
  });

  it('refuses a change on a cookie from anywhere but its own pages, and takes one with an API token', async () => {
    const jobId = await addJob(queues, letter(), HOUR);
    const delayed = async (): Promise<boolean> => (await queues[QueueName.Mail].getJobState(jobId)) === 'delayed';
    const promote = `/api/queues/${QueueName.Mail}/${jobId}/promote`;

    const crossSite: Record<string, string>[] = [
      { origin: 'https://attacker.example' },
      { 'sec-fetch-site': 'cross-site', origin: 'https://attacker.example' },
      { 'sec-fetch-site': 'same-site', origin: 'https://sub.127.0.0.1' },
      {}, // neither header: not a page of ours
    ];
    for (const headers of crossSite) {
      const res = await put(promote, { cookie: legalCookie, ...headers });
      expect(res.status).toBe(403);
      expect(await res.json()).toMatchObject({ message: expect.stringMatching(/from the dashboard itself/) });
      expect(await delayed()).toBe(true);
    }
    // A cross-site form can only POST: the board's add-job call, refused the same way.
    const form = await fetch(`${api.url}${DASHBOARD}/api/queues/${QueueName.Mail}/add`, {
      method: 'POST',
      redirect: 'manual',
      headers: { cookie: legalCookie, 'content-type': 'application/x-www-form-urlencoded', origin: 'null' },
      body: 'name=send-letter',
    });
    expect(form.status).toBe(403);

    // From an old browser that sends Origin but no Sec-Fetch-Site, our own origin is enough.
    const own = await put(promote, { cookie: legalCookie, origin: api.url });
    expect(own.status).toBe(204);
    expect(await delayed()).toBe(false);

    const other = await addJob(queues, letter(), HOUR);
    const byToken = await put(`/api/queues/${QueueName.Mail}/${other}/promote`, bearer(admin));
    expect(byToken.status).toBe(204);
    expect(await queues[QueueName.Mail].getJobState(other)).not.toBe('delayed');
  });

  it('refuses the calls that would bypass typed payloads or drop work, even from its own pages', async () => {
    const before = await queues[QueueName.Cases].getJobCounts('waiting', 'delayed');
    const add = await fetch(`${api.url}${DASHBOARD}/api/queues/${QueueName.Cases}/add`, {
      method: 'POST',
      headers: { ...bearer(admin), 'content-type': 'application/json' },
      body: JSON.stringify({ name: JobName.RouteCase, data: { anything: true }, options: {} }),
    });
    expect(add.status).toBe(403);
    for (const call of ['empty', 'obliterate']) {
      expect((await put(`/api/queues/${QueueName.Cases}/${call}`, bearer(admin))).status).toBe(403);
    }
    expect(await queues[QueueName.Cases].getJobCounts('waiting', 'delayed')).toEqual(before);
  });

  it('renders in a real browser after signing in, and promotes a job from its own button', async () => {
    const jobId = await addJob(queues, letter(), HOUR);
    let browser: Browser | undefined;
    try {
      browser = await launchBrowser();
      const page = await browser.newPage();
      // Anything the page logs (a CSP violation, a failed script) but the one refusal we mean: the board's Google
      // Fonts stylesheet, which the policy keeps out.
      const problems: string[] = [];
      page.on('console', (m) => {
        if (m.type() === 'error' && !m.text().includes('https://fonts.googleapis.com/')) problems.push(m.text());
      });
      page.on('pageerror', (e) => problems.push(e.message));

      await page.goto(`${api.url}${DASHBOARD}`);
      await page.waitForURL(/\/staff\/login$/);
      await page.getByLabel('Email').fill(legal.email);
      await page.getByLabel('Password').fill(legal.password);
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.waitForURL(/\/staff$/);

      await page.goto(`${api.url}${DASHBOARD}`);
      for (const name of QUEUE_NAMES) await page.getByRole('link', { name, exact: true }).first().waitFor();
      // The overview's cards, filled from the board's JSON API.
      await page
        .getByText(/^\d+ Jobs?$/)
        .first()
        .waitFor();
      await page.screenshot({ path: path.join(OUTPUT, 'queue-dashboard.png'), fullPage: true });

      await page.goto(`${api.url}${DASHBOARD}/queue/${QueueName.Mail}?status=delayed`);
      await page.getByText(jobId).waitFor();
      await page.screenshot({ path: path.join(OUTPUT, 'queue-dashboard-delayed.png'), fullPage: true });
      await page.getByRole('button', { name: 'Promote all' }).click();
      await page.getByRole('button', { name: 'Confirm' }).click();
      await waitFor('the job to leave the delayed set', async () => {
        return (await queues[QueueName.Mail].getJobState(jobId)) !== 'delayed';
      });
      expect(problems).toEqual([]);
    } finally {
      await browser?.close();
    }
  });

  it('/metrics reports each queue’s depths and that Redis is up', async () => {
    await addJob(queues, { queue: QueueName.Cases, name: JobName.RouteCase, data: { caseId: randomUUID() } });
    await addJob(
      queues,
      { queue: QueueName.Takedowns, name: JobName.SweepDueTakedowns, data: { caseId: randomUUID() } },
      HOUR,
    );
    const text = await scrape(api);
    expect(text).toContain('# TYPE takedown_desk_queue_jobs gauge');
    expect(sample(text, 'takedown_desk_redis_up')).toBe(1);
    for (const name of QUEUE_NAMES) {
      const counts = await queues[name].getJobCounts('waiting', 'active', 'delayed', 'failed');
      for (const [state, n] of Object.entries(counts)) {
        expect([name, state, sample(text, `takedown_desk_queue_jobs{queue="${name}",state="${state}"}`)]).toEqual([
          name,
          state,
          n,
        ]);
      }
    }
    expect(sample(text, `takedown_desk_queue_jobs{queue="cases",state="waiting"}`)).toBeGreaterThanOrEqual(1);
    expect(sample(text, `takedown_desk_queue_jobs{queue="takedowns",state="delayed"}`)).toBeGreaterThanOrEqual(1);
  });
});

describe('the queue dashboard and /metrics while Redis is down', () => {
  let redis: ThrowawayRedis;
  let api: RunningApi;
  let client: Client;
  let admin: StaffFixture;

  beforeAll(async () => {
    client = await db();
    redis = await ThrowawayRedis.start();
    api = await startApi({ REDIS_URL: redis.url, QUEUE_PREFIX: uniquePrefix() });
    admin = await createStaff(client, 'admin');
  });

  afterAll(async () => {
    await api?.close();
    await redis?.stop();
    await client?.end();
  });

  it('answers at once without spinning, takes notices, and reads the queues again once Redis is back', async () => {
    await redis.stop();
    const auth = bearer(admin);

    const notice = await postJson(api.url, '/api/v1/notices', completeNotice([`https://example.com/d/${uniqueId()}`]));
    expect(notice.status).toBe(201);

    const page = await fetch(`${api.url}${DASHBOARD}`, { headers: auth });
    expect(page.status).toBe(200);

    let started = Date.now();
    const list = await fetch(`${api.url}${DASHBOARD}/api/queues`, { headers: auth });
    expect(Date.now() - started).toBeLessThan(2_500);
    expect(list.status).toBe(503);
    expect(await list.json()).toMatchObject({
      statusCode: 503,
      message: expect.stringMatching(/^Redis cannot be reached/),
    });

    started = Date.now();
    const down = await scrape(api);
    expect(Date.now() - started).toBeLessThan(2_500);
    expect(sample(down, 'takedown_desk_redis_up')).toBe(0);
    expect(down).not.toContain('takedown_desk_queue_jobs{');

    // The connection keeps trying in the background; that must cost next to nothing (a tight retry loop would use
    // the whole two seconds).
    const cpu = process.cpuUsage();
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    const used = process.cpuUsage(cpu);
    expect((used.user + used.system) / 1_000).toBeLessThan(250);

    await redis.start();
    const up = await waitFor(
      'the scrape to see Redis again',
      async () => {
        const text = await scrape(api);
        return sample(text, 'takedown_desk_redis_up') === 1 ? text : undefined;
      },
      10_000,
    );
    expect(sample(up, `takedown_desk_queue_jobs{queue="cases",state="waiting"}`)).toBe(0);
    const again = await fetch(`${api.url}${DASHBOARD}/api/queues`, { headers: auth });
    expect(again.status).toBe(200);
  });
});
