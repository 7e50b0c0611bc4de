import 'reflect-metadata';
import { type INestApplicationContext, Logger } from '@nestjs/common';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Client } from 'pg';
import { LogEvent } from '../src/core/logging/log-event';
import { signWebhook } from '../src/site/webhook.adapter';
import { MAX_TAKEDOWN_ATTEMPTS } from '../src/takedowns/takedown-sweep.service';
import { isolatedDatabase, isolatedDatabaseUrl } from './support/database';
import { TEST_REDIS_URL } from './support/env';
import { completeNotice, createCatalogPage, postJson } from './support/factories';
import { drain, type RunningApi, startApi, startWorker, uniqueId, uniquePrefix, waitFor } from './support/harness';

jest.setTimeout(60_000);

/**
 * The sweep acts on every due takedown in its database, whichever test made it. These tests run a webhook-adapter
 * worker and move due times and leases by hand, so they get a database of their own: a catalog worker of another
 * test file must not sweep their rows, nor theirs another file's.
 */
const DATABASE_URL = isolatedDatabaseUrl('sweep');

/** Takedowns fall due an hour after routing, so that each test says when they are due, and the sweep runs each second. */
const BASE_ENV = { DATABASE_URL, TAKEDOWN_DELAY_SECONDS: '3600', SWEEP_EVERY_SECONDS: '1' };

async function submit(api: RunningApi, client: Client, urls: string[]): Promise<{ caseId: string; reference: string }> {
  const res = await postJson(api.url, '/api/v1/notices', completeNotice(urls));
  expect(res.status).toBe(201);
  await waitFor('the case to be routed', async () => {
    const { rows } = await client.query(`SELECT routed_at FROM cases WHERE id = $1`, [res.body.caseId]);
    return rows[0]?.routed_at ? true : undefined;
  });
  return { caseId: res.body.caseId, reference: res.body.reference };
}

async function makeDue(client: Client, caseIds: string[]): Promise<void> {
  const { rowCount } = await client.query(
    `UPDATE takedowns SET due_at = now() WHERE case_id = ANY($1::uuid[]) AND status = 'pending'`,
    [caseIds],
  );
  expect(rowCount).toBeGreaterThan(0);
}

interface Takedown {
  id: string;
  site_ref: string;
  reason: string;
  status: string;
  attempts: number;
  last_error: string | null;
  verified_at: Date | null;
  claimed_until: Date | null;
  due_in_seconds: number | null;
}

async function takedowns(client: Client, caseId: string): Promise<Takedown[]> {
  const { rows } = await client.query<Takedown>(
    `SELECT id, site_ref, reason, status, attempts, last_error, verified_at, claimed_until,
            extract(epoch FROM due_at - now())::float AS due_in_seconds
     FROM takedowns WHERE case_id = $1 ORDER BY site_ref`,
    [caseId],
  );
  return rows;
}

async function linkStatuses(client: Client, caseId: string): Promise<Record<string, string>> {
  const { rows } = await client.query(`SELECT url, status FROM reported_links WHERE case_id = $1`, [caseId]);
  return Object.fromEntries(rows.map((r) => [r.url, r.status]));
}

const SECRET = 'sweep-test-secret-0123456789';

/**
 * A CMS standing in for the site: it refuses a bad signature with 401, and answers by the refs it is sent:
 * `/fail-` answers 500 to take_down, `/empty-` answers 200 {} to take_down, `/nostatus-` answers 500 to status.
 * Everything else is taken down and then reported gone.
 */
class FakeCms {
  readonly server: Server;
  readonly calls: { action: string; refs?: string[]; caseReference?: string }[] = [];
  badSignatures = 0;
  private readonly removed = new Set<string>();

  constructor() {
    this.server = createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        const timestamp = String(req.headers['x-takedown-timestamp']);
        if (req.headers['x-takedown-signature'] !== `sha256=${signWebhook(SECRET, timestamp, body)}`) {
          this.badSignatures++;
          res.writeHead(401).end();
          return;
        }
        const call = JSON.parse(body);
        this.calls.push(call);
        const [status, answer] = this.answer(call);
        res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(answer));
      });
    });
  }

  private answer(call: { action: string; refs?: string[] }): [number, object] {
    const refs = call.refs ?? [];
    const any = (marker: string): boolean => refs.some((r) => r.includes(marker));
    switch (call.action) {
      case 'search':
        return [200, { pages: [] }];
      case 'find_outbound':
        return [200, { links: [] }];
      case 'take_down':
        if (any('/fail-')) return [500, {}];
        if (any('/empty-')) return [200, {}];
        refs.forEach((r) => this.removed.add(r));
        return [200, { results: Object.fromEntries(refs.map((r) => [r, 'done'])) }];
      case 'status':
        if (any('/nostatus-')) return [500, {}];
        return [200, { live: refs.filter((r) => !this.removed.has(r)) }];
      default:
        return [200, {}];
    }
  }

  async listen(): Promise<string> {
    await new Promise<void>((r) => this.server.listen(0, '127.0.0.1', r));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/hook`;
  }
}

describe('the sweep with the webhook adapter', () => {
  const prefix = uniquePrefix();
  const cms = new FakeCms();
  let api: RunningApi;
  let worker: INestApplicationContext;
  let client: Client;

  beforeAll(async () => {
    client = await isolatedDatabase('sweep');
    const env = {
      ...BASE_ENV,
      QUEUE_PREFIX: prefix,
      SITE_ADAPTER: 'webhook',
      SITE_WEBHOOK_URL: await cms.listen(),
      SITE_WEBHOOK_SECRET: SECRET,
    };
    api = await startApi(env);
    worker = await startWorker(env);
  });

  afterAll(async () => {
    await worker?.close();
    await api?.close();
    await client?.end();
    cms.server.close();
  });

  it('takes our links down through the signed webhook and verifies them gone', async () => {
    const n = uniqueId();
    const urls = [`https://example.com/d/${n}`, `https://example.com/software/app-${n}`];
    const kase = await submit(api, client, urls);
    await makeDue(client, [kase.caseId]);
    await drain(client, TEST_REDIS_URL, prefix);

    const rows = await waitFor('the takedowns to be done', async () => {
      const r = await takedowns(client, kase.caseId);
      return r.every((t) => t.status === 'done') ? r : undefined;
    });
    expect(rows.map((t) => t.site_ref)).toEqual([...urls].sort());
    for (const t of rows) {
      expect(t).toMatchObject({ attempts: 1, last_error: null, claimed_until: null });
      expect(t.verified_at).not.toBeNull();
    }
    expect(cms.badSignatures).toBe(0);
    const takeDown = cms.calls.find((c) => c.action === 'take_down' && c.refs?.includes(urls[0]));
    expect(takeDown).toEqual({
      action: 'take_down',
      refs: expect.arrayContaining(urls),
      caseReference: kase.reference,
    });
    expect(cms.calls).toContainEqual({ action: 'status', refs: expect.arrayContaining(urls) });
    expect(await linkStatuses(client, kase.caseId)).toMatchObject({ [urls[0]]: 'taken_down', [urls[1]]: 'taken_down' });
    const letters = await client.query(`SELECT count(*)::int AS n FROM letters WHERE case_id = $1 AND kind = $2`, [
      kase.caseId,
      'takedown_done',
    ]);
    expect(letters.rows[0].n).toBe(1);
  });

  it('backs off while the CMS fails, then marks the takedown failed with the reason', async () => {
    // Every failed try is one takedown.failed line, naming the case and what became of its takedowns.
    const warned = jest.spyOn(Logger.prototype, 'warn');
    const url = `https://example.com/software/fail-${uniqueId()}`;
    const kase = await submit(api, client, [url]);
    await makeDue(client, [kase.caseId]);

    const [first] = await waitFor('the first failure', async () => {
      const r = await takedowns(client, kase.caseId);
      return r[0].attempts > 0 ? r : undefined;
    });
    expect(first).toMatchObject({ status: 'pending', attempts: 1, claimed_until: null });
    expect(first.last_error).toContain('take_down: CMS answered 500');
    expect(first.due_in_seconds).toBeGreaterThan(30);

    await client.query(`UPDATE takedowns SET attempts = $2, due_at = now() WHERE id = $1`, [
      first.id,
      MAX_TAKEDOWN_ATTEMPTS - 1,
    ]);
    const [last] = await waitFor('the takedown to be given up', async () => {
      const r = await takedowns(client, kase.caseId);
      return r[0].status === 'failed' ? r : undefined;
    });
    expect(last).toMatchObject({ attempts: MAX_TAKEDOWN_ATTEMPTS, claimed_until: null });
    expect(last.last_error).toContain('take_down: CMS answered 500');
    expect((await linkStatuses(client, kase.caseId))[url]).toBe('approved');
    const audit = await client.query(
      `SELECT detail FROM audit_events WHERE case_id = $1 AND action = 'takedowns.failed' ORDER BY id`,
      [kase.caseId],
    );
    expect(audit.rows.map((r) => r.detail.giveUp)).toEqual([0, 1]);
    const lines = warned.mock.calls
      .map(([message, fields]) => ({ message: String(message), fields: fields as Record<string, unknown> }))
      .filter((l) => l.fields?.event === LogEvent.TakedownFailed && l.fields.caseId === kase.caseId);
    warned.mockRestore();
    expect(lines.map((l) => l.fields)).toEqual([
      { event: 'takedown.failed', caseId: kase.caseId, reference: kase.reference, takedowns: 1, giveUp: 0, retry: 1 },
      { event: 'takedown.failed', caseId: kase.caseId, reference: kase.reference, takedowns: 1, giveUp: 1, retry: 0 },
    ]);
    expect(lines[0].message).toContain(`Takedown for ${kase.reference} failed: take_down: CMS answered 500`);
    // The line names ids and counts, never the link.
    expect(JSON.stringify(lines)).not.toContain(url);
  });

  it('does not read a 200 {} as removed, and one failing case does not hold back another in its batch', async () => {
    const n = uniqueId();
    const empty = await submit(api, client, [`https://example.com/software/empty-${n}`]);
    const noStatus = await submit(api, client, [`https://example.com/software/nostatus-${n}`]);
    const fine = await submit(api, client, [`https://example.com/d/${n}`]);
    await makeDue(client, [empty.caseId, noStatus.caseId, fine.caseId]);

    await waitFor('the good case to be done', async () => (await takedowns(client, fine.caseId))[0].status === 'done');
    const [e] = await waitFor('the empty answer to fail', async () => {
      const r = await takedowns(client, empty.caseId);
      return r[0].attempts > 0 ? r : undefined;
    });
    expect(e).toMatchObject({ status: 'pending', attempts: 1 });
    expect(e.last_error).toContain('take_down: the CMS answer has no "results" object');
    // The link was removed but the status check failed: that counts as a failed try too, not a silent retry.
    const [s] = await waitFor('the failed status check to be recorded', async () => {
      const r = await takedowns(client, noStatus.caseId);
      return r[0].attempts > 0 ? r : undefined;
    });
    expect(s).toMatchObject({ status: 'pending', attempts: 1 });
    expect(s.last_error).toContain('status: CMS answered 500');
    expect(s.due_in_seconds).toBeGreaterThan(30);
  });
});

describe('the sweep with the catalog adapter', () => {
  const prefix = uniquePrefix();
  let api: RunningApi;
  let worker: INestApplicationContext;
  let client: Client;

  beforeAll(async () => {
    client = await isolatedDatabase('sweep');
    // process.env keeps what the describe before set: name the adapter.
    const env = { ...BASE_ENV, QUEUE_PREFIX: prefix, SITE_ADAPTER: 'catalog' };
    api = await startApi(env);
    worker = await startWorker(env);
  });

  afterAll(async () => {
    await worker?.close();
    await api?.close();
    await client?.end();
  });

  const download = async (id: string): Promise<number> =>
    (await fetch(`${api.url}/d/${id}`, { redirect: 'manual' })).status;

  it('removes our link to a reported MEGA file and leaves that link referred', async () => {
    const mega = `https://mega.nz/file/${uniqueId()}`;
    const page = await createCatalogPage(client, {
      targets: [`https://files.example-mirror.org/${uniqueId()}.zip`, mega],
    });
    const [ours, outbound] = page.downloads;
    const internal = `https://example.com/d/${ours.id}`;
    const kase = await submit(api, client, [internal, mega]);
    expect(await linkStatuses(client, kase.caseId)).toMatchObject({ [internal]: 'approved', [mega]: 'referred' });
    await makeDue(client, [kase.caseId]);

    const rows = await waitFor('both takedowns to be done', async () => {
      const r = await takedowns(client, kase.caseId);
      return r.length === 2 && r.every((t) => t.status === 'done') ? r : undefined;
    });
    expect(rows.map((t) => [t.site_ref, t.reason])).toEqual([
      [`catalog:${ours.id}`, 'reported'],
      [`catalog:${outbound.id}`, 'outbound_link'],
    ]);
    expect(await download(ours.id)).toBe(451);
    expect(await download(outbound.id)).toBe(451);
    // The file is still at MEGA: only its provider can remove it, so the referral stands.
    expect(await linkStatuses(client, kase.caseId)).toMatchObject({ [internal]: 'taken_down', [mega]: 'referred' });
    const audit = await client.query(
      `SELECT detail FROM audit_events WHERE case_id = $1 AND action = 'takedowns.done'`,
      [kase.caseId],
    );
    expect(audit.rows.map((r) => r.detail)).toEqual([{ done: 2, notFound: 0, unverified: 0, outboundLinksRemoved: 1 }]);
  });

  it('takes up a takedown whose lease has run out, and leaves one under a live lease alone', async () => {
    const page = await createCatalogPage(client, {
      targets: [
        `https://files.example-mirror.org/${uniqueId()}.zip`,
        `https://files.example-mirror.org/${uniqueId()}.zip`,
      ],
    });
    const [expired, leased] = page.downloads;
    const kase = await submit(
      api,
      client,
      page.downloads.map((d) => `https://example.com/d/${d.id}`),
    );
    // As a crashed worker would leave them: one lease over a minute ago, one still running for an hour.
    await client.query(
      `UPDATE takedowns SET due_at = now(),
              claimed_until = CASE site_ref WHEN $2 THEN now() - interval '1 minute' ELSE now() + interval '1 hour' END
       WHERE case_id = $1`,
      [kase.caseId, `catalog:${expired.id}`],
    );

    await waitFor('the expired lease to be taken up', async () => {
      const r = await takedowns(client, kase.caseId);
      return r.find((t) => t.site_ref === `catalog:${expired.id}`)?.status === 'done';
    });
    // Both were due together, so the sweep that took one saw the other and had to leave it.
    const held = (await takedowns(client, kase.caseId)).find((t) => t.site_ref === `catalog:${leased.id}`);
    expect(held).toMatchObject({ status: 'pending', attempts: 0 });
    expect(held?.claimed_until?.getTime()).toBeGreaterThan(Date.now());
    expect(await download(expired.id)).toBe(451);
    expect(await download(leased.id)).toBe(302);

    // Once the lease is gone, it is swept like any other.
    await client.query(`UPDATE takedowns SET claimed_until = now() - interval '1 second' WHERE id = $1`, [held?.id]);
    await waitFor('the released takedown to be done', async () => {
      const r = await takedowns(client, kase.caseId);
      return r.every((t) => t.status === 'done');
    });
    expect(await download(leased.id)).toBe(451);
  });
});
