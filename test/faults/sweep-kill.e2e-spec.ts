import 'reflect-metadata';
import type { Client } from 'pg';
import { freshDatabase, isolatedDatabaseUrl } from '../support/database';
import { TEST_REDIS_URL } from '../support/env';
import { FakeCms } from '../support/fake-cms';
import { reportFault } from '../support/fault-report';
import { completeNoticeFrom, postJson } from '../support/factories';
import { type RunningApi, startApi, uniqueId, uniquePrefix, waitFor } from '../support/harness';
import { AppProcess } from '../support/processes';
import { SmtpSink } from '../support/smtp-sink';

jest.setTimeout(240_000);

const CASES = 60;
const LINKS_PER_CASE = 50;
const LINKS = CASES * LINKS_PER_CASE;
const SWEEP_LEASE_SECONDS = 8;

/**
 * The worker, a process of its own, is killed with SIGKILL half-way through a sweep of 3,000 due links (a CMS that
 * takes 100 ms per case keeps it busy for some seconds), then started again. Its leases must run out on time and
 * be taken up; every link is removed, each takedown recorded once, and each letter goes out once.
 */
describe('the worker killed mid-sweep', () => {
  const prefix = uniquePrefix();
  const sink = new SmtpSink();
  const cms = new FakeCms();
  let client: Client;
  let api: RunningApi;
  let worker: AppProcess | undefined;
  let env: Record<string, string>;

  beforeAll(async () => {
    client = await freshDatabase('faults_sweep');
    await sink.start();
    env = {
      DATABASE_URL: isolatedDatabaseUrl('faults_sweep'),
      REDIS_URL: TEST_REDIS_URL,
      QUEUE_PREFIX: prefix,
      SMTP_URL: sink.url,
      SITE_ADAPTER: 'webhook',
      SITE_WEBHOOK_URL: await cms.listen(),
      SITE_WEBHOOK_SECRET: 'faults-sweep-secret-0123456789',
      TAKEDOWN_DELAY_SECONDS: '3600',
      SWEEP_EVERY_SECONDS: '1',
      SWEEP_LEASE_SECONDS: String(SWEEP_LEASE_SECONDS),
      LETTER_LEASE_SECONDS: '5',
    };
    api = await startApi(env);
  });

  afterAll(async () => {
    await worker?.kill();
    await api?.close();
    await sink.stop();
    await cms.close();
    await client?.end();
  });

  it('removes every link once, lets no lease outlive its term, and sends each letter once', async () => {
    const run = uniqueId();
    const cases: string[] = [];
    for (let c = 0; c < CASES; c++) {
      const urls = Array.from({ length: LINKS_PER_CASE }, (_, i) => `https://example.com/d/${run}${c * 100 + i}`);
      const res = await postJson(api.url, '/api/v1/notices', completeNoticeFrom(`sweep-${run}-${c}@example.org`, urls));
      expect(res.status).toBe(201);
      cases.push(res.body.caseId as string);
    }
    worker = await AppProcess.worker('faults-sweep-worker-1', env);
    await waitFor(
      'every case to be routed',
      async () => {
        const { rows } = await client.query<{ n: number }>(
          `SELECT count(*)::int AS n FROM takedowns WHERE case_id = ANY($1::uuid[]) AND status = 'pending'`,
          [cases],
        );
        return rows[0].n === LINKS;
      },
      60_000,
    );

    cms.delayMs = 100;
    await client.query(`UPDATE takedowns SET due_at = now() WHERE case_id = ANY($1::uuid[])`, [cases]);
    const doneCount = async (): Promise<number> =>
      (
        await client.query<{ n: number }>(
          `SELECT count(*)::int AS n FROM takedowns WHERE case_id = ANY($1::uuid[]) AND status = 'done'`,
          [cases],
        )
      ).rows[0].n;
    await waitFor('the sweep to be under way', async () => (await doneCount()) >= LINKS / 5, 60_000);
    await worker.kill();

    const [atKill] = (
      await client.query<{ done: number; leased: number; refs: string[] | null; longest: number | null }>(
        `SELECT count(*) FILTER (WHERE status = 'done')::int AS done,
                count(*) FILTER (WHERE status = 'pending' AND claimed_until > now())::int AS leased,
                array_agg(site_ref) FILTER (WHERE status = 'pending' AND claimed_until > now()) AS refs,
                extract(epoch FROM max(claimed_until) - now())::float AS longest
         FROM takedowns WHERE case_id = ANY($1::uuid[])`,
        [cases],
      )
    ).rows;
    // Killed mid-work: some done, some not, and the dead worker's batch still leased.
    expect(atKill.done).toBeGreaterThan(0);
    expect(atKill.done).toBeLessThan(LINKS);
    expect(atKill.leased).toBeGreaterThan(0);
    expect(atKill.longest).toBeLessThanOrEqual(SWEEP_LEASE_SECONDS);
    const leasedAtKill = new Set(atKill.refs ?? []);

    const restartedAt = Date.now();
    worker = await AppProcess.worker('faults-sweep-worker-2', env);
    await waitFor('every takedown to be done', async () => (await doneCount()) === LINKS, 120_000);
    const recoveredMs = Date.now() - restartedAt;

    const { rows: left } = await client.query<{ leased: number; twice: number }>(
      `SELECT count(*) FILTER (WHERE claimed_until IS NOT NULL)::int AS leased,
              count(*) FILTER (WHERE attempts <> 1)::int AS twice
       FROM takedowns WHERE case_id = ANY($1::uuid[])`,
      [cases],
    );
    // No lease left behind, and each takedown recorded by one sweep only (a sweep counts its try as it records it).
    expect(left[0]).toEqual({ leased: 0, twice: 0 });
    expect(cms.removed.size).toBe(LINKS);
    // The only links asked for twice are those the dead worker held: asked before it died, recorded after.
    const repeated = [...cms.calls].filter(([, n]) => n > 1).map(([ref]) => ref);
    for (const ref of repeated) expect(leasedAtKill.has(ref)).toBe(true);
    const { rows: perCase } = await client.query<{ done: number; links: number }>(
      `SELECT sum((a.detail->>'done')::int)::int AS done,
              (SELECT count(*)::int FROM reported_links l WHERE l.case_id = a.case_id AND l.status = 'taken_down') AS links
       FROM audit_events a WHERE a.case_id = ANY($1::uuid[]) AND a.action = 'takedowns.done' GROUP BY a.case_id`,
      [cases],
    );
    expect(perCase).toHaveLength(CASES);
    expect(perCase.every((c) => c.done === LINKS_PER_CASE && c.links === LINKS_PER_CASE)).toBe(true);

    const letters = await waitFor(
      'every letter to be sent',
      async () => {
        const { rows } = await client.query<{ kind: string; status: string; message_id: string; resends: number }>(
          `SELECT kind, status, message_id, resends FROM letters WHERE case_id = ANY($1::uuid[])`,
          [cases],
        );
        return rows.length === 2 * CASES && rows.every((l) => l.status === 'sent') ? rows : undefined;
      },
      120_000,
    );
    expect(letters.filter((l) => l.kind === 'takedown_done')).toHaveLength(CASES);
    const copies = (id: string): number => sink.received.filter((m) => m.parsed.messageId === id).length;
    // A second copy only of a letter re-sent after a try with no recorded outcome, under the same Message-ID.
    for (const l of letters) {
      expect([l.message_id, copies(l.message_id)]).toEqual([l.message_id, l.resends > 0 ? expect.any(Number) : 1]);
      expect(copies(l.message_id)).toBeLessThanOrEqual(1 + l.resends);
    }
    const duplicates = letters.reduce((n, l) => n + copies(l.message_id) - 1, 0);

    reportFault('sweep_sigkill', {
      links: LINKS,
      doneAtKill: atKill.done,
      leasedAtKill: atKill.leased,
      linksAskedTwice: repeated.length,
      takedownsRecordedTwice: left[0].twice,
      recoveredMs,
      letters: letters.length,
      letterResends: letters.reduce((n, l) => n + l.resends, 0),
      duplicateMails: duplicates,
    });
  });
});
