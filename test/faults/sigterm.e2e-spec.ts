import 'reflect-metadata';
import { Queue } from 'bullmq';
import { request } from 'node:http';
import type { Client } from 'pg';
import { QueueName } from '../../src/core/queue/jobs';
import { redisOptionsFromUrl } from '../../src/core/queue/redis-options';
import { freshDatabase, isolatedDatabaseUrl } from '../support/database';
import { TEST_REDIS_URL } from '../support/env';
import { FakeCms } from '../support/fake-cms';
import { reportFault } from '../support/fault-report';
import { completeNoticeFrom, postJson } from '../support/factories';
import { type RunningApi, startApi, uniqueId, uniquePrefix, waitFor } from '../support/harness';
import { freePort } from '../support/mail-fixtures';
import { AppProcess } from '../support/processes';
import { SmtpSink } from '../support/smtp-sink';

jest.setTimeout(180_000);

/** POSTs `body` in two halves, the second only when `more` resolves: a request the server is sure to have in flight. */
function slowPost(url: string, body: string, more: Promise<void>): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      { method: 'POST', headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } },
      (res) => {
        let text = '';
        res.on('data', (c: Buffer) => (text += c.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
      },
    );
    req.on('error', reject);
    const half = Math.floor(body.length / 2);
    req.write(body.slice(0, half));
    void more.then(() => req.end(body.slice(half)));
  });
}

describe('SIGTERM', () => {
  const prefix = uniquePrefix();
  const sink = new SmtpSink();
  const cms = new FakeCms();
  let client: Client;
  let env: Record<string, string>;
  let inProcessApi: RunningApi;
  let api: AppProcess | undefined;
  let worker: AppProcess | undefined;

  beforeAll(async () => {
    client = await freshDatabase('faults_sigterm');
    await sink.start();
    env = {
      DATABASE_URL: isolatedDatabaseUrl('faults_sigterm'),
      REDIS_URL: TEST_REDIS_URL,
      QUEUE_PREFIX: prefix,
      SMTP_URL: sink.url,
      SITE_ADAPTER: 'webhook',
      SITE_WEBHOOK_URL: await cms.listen(),
      SITE_WEBHOOK_SECRET: 'faults-sigterm-secret-0123456789',
      TAKEDOWN_DELAY_SECONDS: '3600',
      SWEEP_EVERY_SECONDS: '1',
    };
  });

  afterAll(async () => {
    await api?.kill();
    await worker?.kill();
    await inProcessApi?.close();
    await sink.stop();
    await cms.close();
    await client?.end();
  });

  it('the API takes no new request and finishes the one in flight, then exits 0', async () => {
    const port = await freePort();
    api = await AppProcess.api('faults-sigterm-api', port, env);
    const base = `http://127.0.0.1:${port}`;
    let sendRest!: () => void;
    const rest = new Promise<void>((r) => (sendRest = r));
    const body = JSON.stringify(
      completeNoticeFrom(`sigterm-${uniqueId()}@example.org`, [`https://mega.nz/file/${uniqueId()}`]),
    );
    const inFlight = slowPost(`${base}/api/v1/notices`, body, rest);
    await new Promise((r) => setTimeout(r, 300));

    api.signal('SIGTERM');
    // The listener is closed at once: a new connection is refused while the request in flight is still open.
    // A connection made in the moment between the signal and the close sat in the listen backlog and is reset
    // (ECONNRESET), never answered: the next attempt meets the closed port.
    const refused = await waitFor('new connections to be refused', async () => {
      try {
        await fetch(`${base}/health`);
        return false;
      } catch (error) {
        const code = String((error as { cause?: { code?: string } }).cause?.code ?? error);
        return code === 'ECONNRESET' ? false : code;
      }
    });
    expect(refused).toBe('ECONNREFUSED');
    expect(api.running).toBe(true);
    sendRest();
    const answer = await inFlight;
    expect(answer.status).toBe(201);
    const { caseId } = JSON.parse(answer.text) as { caseId: string };
    expect((await client.query(`SELECT 1 FROM cases WHERE id = $1`, [caseId])).rowCount).toBe(1);
    expect(await api.exit()).toEqual({ code: 0, signal: null });
    reportFault('sigterm_api', { inFlight: 1, inFlightAnswered201: 1, newConnectionsRefused: 1, exitCode: 0 });
  });

  it('the worker finishes or hands back its jobs and leases before it exits', async () => {
    inProcessApi = await startApi(env);
    const run = uniqueId();
    const cases: string[] = [];
    for (let c = 0; c < 20; c++) {
      const urls = Array.from({ length: 50 }, (_, i) => `https://example.com/d/${run}${c * 100 + i}`);
      const res = await postJson(
        inProcessApi.url,
        '/api/v1/notices',
        completeNoticeFrom(`t-${run}-${c}@example.org`, urls),
      );
      expect(res.status).toBe(201);
      cases.push(res.body.caseId as string);
    }
    worker = await AppProcess.worker('faults-sigterm-worker-1', env);
    await waitFor('every case to be routed', async () => {
      const { rows } = await client.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM cases WHERE id = ANY($1::uuid[]) AND routed_at IS NOT NULL`,
        [cases],
      );
      return rows[0].n === cases.length;
    });
    cms.delayMs = 300;
    sink.acceptDelayMs = 200;
    await client.query(`UPDATE takedowns SET due_at = now() WHERE case_id = ANY($1::uuid[])`, [cases]);
    const counts = async () =>
      (
        await client.query<{ done: number; leased: number; lettersLeased: number }>(
          `SELECT (SELECT count(*)::int FROM takedowns WHERE case_id = ANY($1::uuid[]) AND status = 'done') AS done,
                  (SELECT count(*)::int FROM takedowns WHERE claimed_until IS NOT NULL) AS leased,
                  (SELECT count(*)::int FROM letters WHERE claimed_until IS NOT NULL) AS "lettersLeased"`,
          [cases],
        )
      ).rows[0];
    await waitFor('the sweep to be under way', async () => {
      const c = await counts();
      return c.done > 0 && c.leased > 0;
    });
    const atSignal = await counts();
    const signalledAt = Date.now();
    worker.signal('SIGTERM');
    const exit = await worker.exit();
    const stopMs = Date.now() - signalledAt;
    // Nest's shutdown hook re-raises the signal once the application is closed.
    expect(exit).toEqual({ code: null, signal: 'SIGTERM' });
    expect(worker.log).toMatch(/Shutting down: finishing the jobs/);

    const afterExit = await counts();
    expect({ leased: afterExit.leased, lettersLeased: afterExit.lettersLeased }).toEqual({
      leased: 0,
      lettersLeased: 0,
    });
    expect(afterExit.done).toBeLessThan(1000);
    let active = 0;
    for (const name of Object.values(QueueName)) {
      const q = new Queue(name, { prefix, connection: redisOptionsFromUrl(TEST_REDIS_URL) });
      active += (await q.getJobCounts('active')).active;
      await q.close();
    }
    expect(active).toBe(0);

    cms.delayMs = 0;
    sink.acceptDelayMs = 0;
    worker = await AppProcess.worker('faults-sigterm-worker-2', env);
    await waitFor('every takedown to be done', async () => (await counts()).done === 1000, 60_000);
    const letters = await waitFor('every letter to be sent', async () => {
      const { rows } = await client.query<{ status: string; message_id: string }>(
        `SELECT status, message_id FROM letters WHERE case_id = ANY($1::uuid[])`,
        [cases],
      );
      return rows.length >= 2 * cases.length && rows.every((l) => l.status === 'sent') ? rows : undefined;
    });
    const copies = letters.map((l) => sink.received.filter((m) => m.parsed.messageId === l.message_id).length);
    expect(copies.every((n) => n === 1)).toBe(true);
    const { rows: twice } = await client.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM takedowns WHERE case_id = ANY($1::uuid[]) AND attempts <> 1`,
      [cases],
    );
    expect(twice[0].n).toBe(0);

    reportFault('sigterm_worker', {
      doneAtSignal: atSignal.done,
      leasedAtSignal: atSignal.leased,
      doneAtExit: afterExit.done,
      leasesLeftAtExit: afterExit.leased + afterExit.lettersLeased,
      activeJobsLeftAtExit: active,
      stopMs,
      linksAskedTwice: cms.repeated,
      letters: letters.length,
      duplicateMails: copies.reduce((n, c) => n + c - 1, 0),
    });
  });
});
