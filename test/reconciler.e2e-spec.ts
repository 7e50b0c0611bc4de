import 'reflect-metadata';
import type { INestApplicationContext } from '@nestjs/common';
import { Module } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { Queue, UnrecoverableError, Worker } from 'bullmq';
import { Redis } from 'ioredis';
import type { Client } from 'pg';
import { CoreModule } from '../src/core/core.module';
import { JOB_RETRY, JobName, QueueName, SWEEP_SCHEDULER_ID } from '../src/core/queue/jobs';
import { QueueModule } from '../src/core/queue/queue.module';
import { redisOptionsFromUrl } from '../src/core/queue/redis-options';
import { ReconcileModule } from '../src/reconcile/reconcile.module';
import { type ReconcileFind, ReconcilerService } from '../src/reconcile/reconciler.service';
import { durabilityWarnings, RedisDurabilityService } from '../src/reconcile/redis-durability.service';
import { isolatedDatabase, isolatedDatabaseUrl } from './support/database';
import { applyTestEnv } from './support/env';
import { completeNoticeFrom, createCatalogPage, postJson } from './support/factories';
import { type RunningApi, startApi, startWorker, uniqueId, uniquePrefix, waitFor } from './support/harness';
import { ThrowawayRedis } from './support/redis-server';
import { createStaff } from './support/staff';
import { SmtpSink } from './support/smtp-sink';

jest.setTimeout(180_000);

/** The outbox relay and nothing else: it moves the outbox rows to BullMQ, and no processor takes them. */
@Module({ imports: [CoreModule, QueueModule] })
class RelayOnlyModule {}

/** The reconciler with no processors, so that a test sees what it enqueues before anything runs it. */
@Module({ imports: [CoreModule, ReconcileModule] })
class ReconcilerOnlyModule {}

async function startContext(module: unknown, env: Record<string, string>): Promise<INestApplicationContext> {
  applyTestEnv(env);
  const context = await Test.createTestingModule({ imports: [module as typeof RelayOnlyModule] }).compile();
  context.useLogger(process.env.TEST_LOG ? ['error', 'warn', 'log'] : ['error']);
  await context.init();
  return context;
}

/**
 * The reconciler re-enqueues whatever owed work it finds in its database, whichever test made it: a database of its
 * own keeps it from sending another file's letters or routing its cases under this file's queues.
 */
const DATABASE_URL = isolatedDatabaseUrl('reconcile');

/**
 * Redis that loses its data (an ephemeral Redis restarted, a failover to an empty replica, FLUSHALL) after the outbox
 * relay moved the rows: Postgres still says the work is owed, and the reconciler puts it back on the queues.
 */
describe('the reconciler', () => {
  let redis: ThrowawayRedis;
  let client: Client;
  let api: RunningApi;
  let prefix: string;
  let env: Record<string, string>;
  const contexts: INestApplicationContext[] = [];

  /** Reconciles every second with no grace, so that the test does not wait; production waits minutes. */
  const RECONCILING = { RECONCILE_EVERY_SECONDS: '1', RECONCILE_GRACE_SECONDS: '0' };
  /** The reconciler's own schedule out of the way: the test runs it, or nothing does. */
  const NOT_RECONCILING = { RECONCILE_EVERY_SECONDS: '3600', RECONCILE_GRACE_SECONDS: '0' };

  beforeAll(async () => {
    client = await isolatedDatabase('reconcile');
    redis = await ThrowawayRedis.start();
  });

  beforeEach(async () => {
    prefix = uniquePrefix();
    env = { DATABASE_URL, REDIS_URL: redis.url, QUEUE_PREFIX: prefix };
    api = await startApi(env);
  });

  afterEach(async () => {
    for (const context of contexts.splice(0)) await context.close();
    await api?.close();
  });

  afterAll(async () => {
    await redis?.stop();
    await client?.end();
  });

  /** Tracks a context so that a failing test still closes it (a worker left open keeps jest waiting). */
  async function open<T extends INestApplicationContext>(starting: Promise<T>): Promise<T> {
    const context = await starting;
    contexts.push(context);
    return context;
  }

  async function shut(context: INestApplicationContext): Promise<void> {
    contexts.splice(contexts.indexOf(context), 1);
    await context.close();
  }

  const queue = (name: QueueName): Queue => new Queue(name, { prefix, connection: redisOptionsFromUrl(redis.url) });

  async function flushRedis(): Promise<void> {
    const connection = new Redis(redisOptionsFromUrl(redis.url));
    try {
      expect(await connection.flushall()).toBe('OK');
    } finally {
      connection.disconnect();
    }
  }

  async function fileNotices(n: number, email: string): Promise<string[]> {
    const ids: string[] = [];
    for (let i = 0; i < n; i++) {
      const page = await createCatalogPage(client);
      const res = await postJson(
        api.url,
        '/api/v1/notices',
        completeNoticeFrom(email, [`https://example.com/d/${page.downloads[0].id}`]),
      );
      expect(res.status).toBe(201);
      ids.push(res.body.caseId as string);
    }
    return ids;
  }

  async function relayed(caseIds: string[]): Promise<void> {
    await waitFor('the relay to move the outbox rows', async () => {
      const { rows } = await client.query(
        `SELECT count(*)::int AS n FROM outbox WHERE job_id = ANY($1::text[]) AND dispatched_at IS NOT NULL`,
        [caseIds.map((id) => `route-case.${id}`)],
      );
      return rows[0].n === caseIds.length;
    });
  }

  const routedOnce = async (caseIds: string[]): Promise<number> =>
    (
      await client.query(
        `SELECT count(*)::int AS n FROM cases c
         WHERE c.id = ANY($1::uuid[]) AND c.routed_at IS NOT NULL
           AND (SELECT count(*) FROM audit_events a WHERE a.case_id = c.id AND a.action = 'case.routed') = 1
           AND (SELECT count(*) FROM letters l WHERE l.case_id = c.id AND l.kind = 'receipt') = 1`,
        [caseIds],
      )
    ).rows[0].n;

  const routingCounts = async (caseIds: string[]): Promise<{ routed: number; receipts: number; sent: number }[]> =>
    (
      await client.query(
        `SELECT (SELECT count(*)::int FROM audit_events a WHERE a.case_id = c.id AND a.action = 'case.routed') AS routed,
                (SELECT count(*)::int FROM letters l WHERE l.case_id = c.id AND l.kind = 'receipt') AS receipts,
                (SELECT count(*)::int FROM letters l WHERE l.case_id = c.id AND l.kind = 'receipt' AND l.status = 'sent')
                  AS sent
         FROM cases c WHERE c.id = ANY($1::uuid[])`,
        [caseIds],
      )
    ).rows;

  /** One pass of the reconciler, with no processor running: what it found and re-enqueued. */
  async function passOnce(extra: Record<string, string> = {}): Promise<ReconcileFind[]> {
    const reconciler = await open(startContext(ReconcilerOnlyModule, { ...env, ...NOT_RECONCILING, ...extra }));
    try {
      const pass = await reconciler.get(ReconcilerService).reconcileOnce();
      expect(pass.ran).toBe(true);
      return pass.found;
    } finally {
      await shut(reconciler);
    }
  }

  /** Runs `act` with only the outbox relay up, and waits until it has moved the outbox rows `jobIds` to BullMQ. */
  async function relaying(act: () => Promise<void>, jobIds: () => Promise<string[]>): Promise<void> {
    const relay = await open(startContext(RelayOnlyModule, env));
    try {
      await act();
      const ids = await jobIds();
      await waitFor('the relay to move the jobs', async () => {
        const { rows } = await client.query(
          `SELECT count(*)::int AS n FROM outbox WHERE job_id = ANY($1::text[]) AND dispatched_at IS NOT NULL`,
          [ids],
        );
        return rows[0].n === ids.length;
      });
    } finally {
      await shut(relay);
    }
  }

  async function staffCall(token: string, path: string, body: unknown): Promise<{ status: number; body: any }> {
    const res = await fetch(`${api.url}/api/v1/staff${path}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    return { status: res.status, body: await res.json() };
  }

  async function eventIds(caseId: string, action: string): Promise<string[]> {
    const { rows } = await client.query(`SELECT id FROM audit_events WHERE case_id = $1 AND action = $2 ORDER BY id`, [
      caseId,
      action,
    ]);
    return rows.map((r) => r.id as string);
  }

  /** The links the notice reported as infringing (not the original work's). */
  async function linkIds(caseId: string): Promise<string[]> {
    const { rows } = await client.query(
      `SELECT id FROM reported_links WHERE case_id = $1 AND role = 'infringing' ORDER BY url`,
      [caseId],
    );
    return rows.map((r) => r.id as string);
  }

  const linkStatus = async (id: string): Promise<string> =>
    (await client.query(`SELECT status FROM reported_links WHERE id = $1`, [id])).rows[0].status;

  /** A case of one notice naming `links` downloads of one catalog page, routed by a worker with `extra` settings. */
  async function routedCase(
    links: number,
    extra: Record<string, string> = {},
    until: (caseId: string) => Promise<boolean> = () => Promise.resolve(true),
  ): Promise<string> {
    const worker = await open(startWorker({ ...env, ...NOT_RECONCILING, ...extra }));
    try {
      const page = await createCatalogPage(client, {
        targets: Array.from({ length: links }, (_, i) => `https://files.example-mirror.org/${uniqueId()}-${i}.zip`),
      });
      const res = await postJson(
        api.url,
        '/api/v1/notices',
        completeNoticeFrom(
          `routed-${uniqueId()}@rights-holder.example.org`,
          page.downloads.map((d) => `https://example.com/d/${d.id}`),
        ),
      );
      expect(res.status).toBe(201);
      const caseId = res.body.caseId as string;
      await waitFor('the case to be routed', async () => (await routedOnce([caseId])) === 1 && (await until(caseId)));
      return caseId;
    } finally {
      await shut(worker);
    }
  }

  it('routes every acknowledged notice exactly once after Redis lost the relayed jobs', async () => {
    const N = 20;
    const relay = await open(startContext(RelayOnlyModule, env));
    const caseIds = await fileNotices(N, `flush-${uniqueId()}@rights-holder.example.org`);
    await relayed(caseIds);
    await shut(relay);
    const cases = queue(QueueName.Cases);
    try {
      expect(await cases.getJobCounts('waiting')).toEqual({ waiting: N });
    } finally {
      await cases.close();
    }

    await flushRedis();

    contexts.push(await startWorker({ ...env, ...RECONCILING }));
    await waitFor('every notice to be routed once', async () => (await routedOnce(caseIds)) === N, 60_000).catch(
      () => undefined,
    );
    expect({ routedOnce: await routedOnce(caseIds), of: N }).toEqual({ routedOnce: N, of: N });
    await waitFor('the receipts to be sent', async () => (await routingCounts(caseIds)).every((c) => c.sent === 1));
    // A few more passes find nothing more to do for these cases: nothing routes twice.
    await new Promise((r) => setTimeout(r, 3_000));
    expect(await routingCounts(caseIds)).toEqual(caseIds.map(() => ({ routed: 1, receipts: 1, sent: 1 })));

    const metrics = await (await fetch(`${api.url}/metrics`)).text();
    const counted = /^takedown_desk_reconciled_total\{kind="route-case"\} (\d+)$/m.exec(metrics);
    expect(Number(counted?.[1])).toBeGreaterThanOrEqual(N);
  });

  it('sends letters that were recorded and not sent once, after Redis lost their jobs', async () => {
    const sink = await new SmtpSink().start();
    try {
      sink.mode = 'tempfail';
      const email = `letters-${uniqueId()}@rights-holder.example.org`;
      const first = await open(startWorker({ ...env, ...NOT_RECONCILING, SMTP_URL: sink.url }));
      const caseIds = await fileNotices(4, email);
      // Routed and swept, each letter tried once and refused for now: they wait in BullMQ for their next try.
      await waitFor(
        'the letters to be recorded and tried',
        async () => {
          const { rows } = await client.query(
            `SELECT count(*) FILTER (WHERE kind = 'receipt')::int AS receipts,
                    count(*) FILTER (WHERE kind = 'takedown_done')::int AS done,
                    count(*) FILTER (WHERE attempts = 0 OR status <> 'queued')::int AS untried
             FROM letters WHERE case_id = ANY($1::uuid[])`,
            [caseIds],
          );
          return rows[0].receipts === 4 && rows[0].done === 4 && rows[0].untried === 0;
        },
        60_000,
      );
      await shut(first);
      await flushRedis();
      sink.mode = 'accept';

      contexts.push(await startWorker({ ...env, ...RECONCILING, SMTP_URL: sink.url }));
      const letters = async (): Promise<{ id: string; status: string; message_id: string }[]> =>
        (await client.query(`SELECT id, status, message_id FROM letters WHERE case_id = ANY($1::uuid[])`, [caseIds]))
          .rows;
      await waitFor(
        'every letter to be sent',
        async () => (await letters()).every((l) => l.status === 'sent'),
        60_000,
      ).catch(() => undefined);
      const all = await letters();
      expect(all).toHaveLength(8);
      expect(all.filter((l) => l.status === 'sent')).toHaveLength(8);
      await new Promise((r) => setTimeout(r, 3_000));
      const delivered = sink.to(email).map((m) => m.parsed.messageId);
      expect(delivered.sort()).toEqual(all.map((l) => l.message_id).sort());
    } finally {
      await sink.stop();
    }
  });

  it('leaves a job still in the queue alone, and does not re-run one that completed', async () => {
    const email = `present-${uniqueId()}@rights-holder.example.org`;
    // One case routed by a worker: its route job completed and BullMQ still holds it.
    const worker = await open(startWorker({ ...env, ...NOT_RECONCILING }));
    const [done] = await fileNotices(1, email);
    await waitFor('the first case to be routed', async () => (await routedOnce([done])) === 1);
    await shut(worker);

    // Five more whose route jobs wait in the queue, with no worker to take them.
    const relay = await open(startContext(RelayOnlyModule, env));
    const waiting = await fileNotices(5, email);
    await relayed(waiting);
    await shut(relay);

    const reconciler = await open(startContext(ReconcilerOnlyModule, { ...env, ...NOT_RECONCILING }));
    const pass = await reconciler.get(ReconcilerService).reconcileOnce();
    expect(pass.ran).toBe(true);
    const requeued = pass.found.filter((f) => f.requeued).map((f) => f.ref);
    for (const id of [done, ...waiting]) expect(requeued).not.toContain(id);

    const cases = queue(QueueName.Cases);
    try {
      const states = await Promise.all(waiting.map((id) => cases.getJobState(`route-case.${id}`)));
      expect(states).toEqual(waiting.map(() => 'waiting'));
      expect(await cases.getJobCounts('waiting')).toEqual({ waiting: 5 });
      const completed = await cases.getJob(`route-case.${done}`);
      expect(await completed?.getState()).toBe('completed');
      expect(completed?.attemptsMade).toBe(1);
    } finally {
      await cases.close();
    }

    contexts.push(await startWorker({ ...env, ...NOT_RECONCILING }));
    await waitFor('the waiting cases to be routed', async () => (await routedOnce(waiting)) === 5, 60_000);
    expect(await routingCounts([done, ...waiting])).toEqual(
      [done, ...waiting].map(() => ({ routed: 1, receipts: 1, sent: expect.any(Number) as number })),
    );
  });

  it('applies a staff approval and a restoration whose jobs Redis lost, once each', async () => {
    const legal = await createStaff(client, 'legal');
    const call = async (path: string, body: unknown): Promise<{ status: number; body: any }> => {
      const res = await fetch(`${api.url}/api/v1/staff${path}`, {
        method: 'POST',
        headers: { authorization: `Bearer ${legal.token}`, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
      return { status: res.status, body: await res.json() };
    };
    /**
     * Runs `act` with only the relay up, waits until it has moved the job of the audit event `action` records (its
     * id named by `jobId`) to BullMQ, then flushes Redis. Returns the event's id.
     */
    const lose = async (
      act: () => Promise<void>,
      action: string,
      jobId: (event: string) => string,
    ): Promise<string> => {
      const relay = await open(startContext(RelayOnlyModule, env));
      await act();
      const { rows } = await client.query(`SELECT id FROM audit_events WHERE case_id = $1 AND action = $2`, [
        caseId,
        action,
      ]);
      await waitFor('the relay to move the job', async () => {
        const { rows: outbox } = await client.query(`SELECT dispatched_at FROM outbox WHERE job_id = $1`, [
          jobId(rows[0].id),
        ]);
        return outbox[0]?.dispatched_at != null;
      });
      await shut(relay);
      await flushRedis();
      return rows[0].id as string;
    };
    /** One pass of the reconciler, with no processor running: what it found and re-enqueued. */
    const reconcileOnce = async (): Promise<ReconcileFind[]> => {
      const reconciler = await open(startContext(ReconcilerOnlyModule, { ...env, ...NOT_RECONCILING }));
      try {
        const pass = await reconciler.get(ReconcilerService).reconcileOnce();
        expect(pass.ran).toBe(true);
        return pass.found;
      } finally {
        await shut(reconciler);
      }
    };
    const held = { ...env, TAKEDOWN_REQUIRE_APPROVAL: 'true' };
    const count = async (caseId: string, action: string): Promise<number> =>
      (
        await client.query(`SELECT count(*)::int AS n FROM audit_events WHERE case_id = $1 AND action = $2`, [
          caseId,
          action,
        ])
      ).rows[0].n;
    const takedown = async (caseId: string): Promise<string> =>
      (await client.query(`SELECT status FROM takedowns WHERE case_id = $1`, [caseId])).rows[0]?.status;

    const router = await open(startWorker({ ...held, ...NOT_RECONCILING }));
    const [caseId] = await fileNotices(1, `approval-${uniqueId()}@rights-holder.example.org`);
    await waitFor('the case to be routed', async () => (await routedOnce([caseId])) === 1);
    await shut(router);
    const { reference } = (await client.query(`SELECT reference FROM cases WHERE id = $1`, [caseId])).rows[0];
    expect(await takedown(caseId)).toBe('awaiting_approval');

    const approval = await lose(
      async () => expect((await call(`/cases/${reference}/approve`, {})).status).toBe(200),
      'takedowns.approved',
      (id) => `apply-approval.${caseId}.${id}`,
    );
    // The reconciler alone, so that no sweep runs first: approving made the takedown due, and a sweep would remove
    // the link with or without the approval applied.
    expect(await reconcileOnce()).toContainEqual({
      kind: 'apply-approval',
      ref: approval,
      jobId: `apply-approval.${caseId}.${approval}`,
      state: 'unknown',
      requeued: true,
    });
    let worker = await open(startWorker({ ...held, ...NOT_RECONCILING }));
    await waitFor('the approval to be applied', async () => (await count(caseId, 'takedowns.scheduled')) === 2);
    await waitFor('the takedown to be done', async () => (await takedown(caseId)) === 'done');
    await shut(worker);
    // Done now, by the database: a later pass leaves it alone.
    expect((await reconcileOnce()).map((f) => f.ref)).not.toContain(approval);

    const { rows: links } = await client.query(
      `SELECT id FROM reported_links WHERE case_id = $1 AND status = 'taken_down'`,
      [caseId],
    );
    expect(links).toHaveLength(1);
    const restoration = await lose(
      async () =>
        expect(
          (await call(`/cases/${reference}/restore`, { linkIds: [links[0].id], reason: 'counter-notice' })).status,
        ).toBe(200),
      'links.restored',
      (id) => `restore-links.${caseId}.${id}`,
    );
    expect((await reconcileOnce()).filter((f) => f.requeued).map((f) => f.ref)).toContain(restoration);
    worker = await open(startWorker({ ...held, ...NOT_RECONCILING }));
    await waitFor('the takedown to be restored', async () => (await takedown(caseId)) === 'restored');
    await shut(worker);
    expect((await reconcileOnce()).map((f) => f.ref)).not.toContain(restoration);
    expect(await count(caseId, 'takedowns.scheduled')).toBe(2); // the routing's, and the approval's
    expect(await count(caseId, 'takedowns.done')).toBe(1);
    expect(await count(caseId, 'takedowns.restored')).toBe(1);
  });

  it('looks at every owed row of a kind, however many failed jobs come before it', async () => {
    // Cases whose route jobs failed for good (left for staff), recorded before the lost ones.
    const FAILED = 24;
    let failed: string[] = [];
    await relaying(
      async () => {
        failed = await fileNotices(FAILED, `failed-${uniqueId()}@rights-holder.example.org`);
      },
      () => Promise.resolve(failed.map((id) => `route-case.${id}`)),
    );
    const failing = new Worker(QueueName.Cases, () => Promise.reject(new UnrecoverableError('left for staff')), {
      prefix,
      connection: redisOptionsFromUrl(redis.url),
    });
    const cases = queue(QueueName.Cases);
    try {
      await waitFor('the route jobs to fail', async () => (await cases.getJobCounts('failed')).failed === FAILED);
    } finally {
      await failing.close();
    }
    // Then three cases whose route jobs Redis lost.
    let lost: string[] = [];
    await relaying(
      async () => {
        lost = await fileNotices(3, `lost-${uniqueId()}@rights-holder.example.org`);
      },
      () => Promise.resolve(lost.map((id) => `route-case.${id}`)),
    );
    try {
      for (const id of lost) expect(await cases.remove(`route-case.${id}`)).toBe(1);

      // Two rows a page: a pass reads ten pages of a kind, and the next goes on from there.
      const reconciler = await open(
        startContext(ReconcilerOnlyModule, { ...env, ...NOT_RECONCILING, RECONCILE_BATCH_SIZE: '2' }),
      );
      const seen: ReconcileFind[] = [];
      for (let i = 0; i < 3 && !lost.every((id) => seen.some((f) => f.ref === id && f.requeued)); i++) {
        seen.push(...(await reconciler.get(ReconcilerService).reconcileOnce()).found);
      }
      await shut(reconciler);
      const mine = seen.filter((f) => f.kind === JobName.RouteCase && [...failed, ...lost].includes(f.ref));
      expect(
        mine
          .filter((f) => f.requeued)
          .map((f) => f.ref)
          .sort(),
      ).toEqual([...lost].sort());
      expect(new Set(mine.filter((f) => f.state === 'failed').map((f) => f.ref)).size).toBe(FAILED);
      expect(await Promise.all(lost.map((id) => cases.getJobState(`route-case.${id}`)))).toEqual(
        lost.map(() => 'waiting'),
      );
    } finally {
      await cases.close();
      // Routed by hand, so that later tests' passes leave them alone.
      await client.query(`UPDATE cases SET routed_at = now() WHERE id = ANY($1::uuid[])`, [[...failed, ...lost]]);
    }
  });

  it('does not re-run an approval whose links a sweep had already taken down', async () => {
    const legal = await createStaff(client, 'legal');
    const held = { TAKEDOWN_REQUIRE_APPROVAL: 'true' };
    const caseId = await routedCase(2, held);
    const { reference } = (await client.query(`SELECT reference FROM cases WHERE id = $1`, [caseId])).rows[0];
    const [first, second] = await linkIds(caseId);

    let approval = '';
    await relaying(
      async () => {
        expect((await staffCall(legal.token, `/cases/${reference}/approve`, { linkIds: [first] })).status).toBe(200);
      },
      async () => {
        [approval] = await eventIds(caseId, 'takedowns.approved');
        return [`apply-approval.${caseId}.${approval}`];
      },
    );
    // The approval's job waits behind a busy cases queue while the sweep takes its link down; then it runs, and
    // finds nothing approved left to act on.
    const cases = queue(QueueName.Cases);
    try {
      await cases.pause();
      const worker = await open(startWorker({ ...env, ...NOT_RECONCILING, ...held }));
      await waitFor('the sweep to take the link down', async () => (await linkStatus(first)) === 'taken_down');
      await cases.resume();
      await waitFor(
        'the approval job to complete',
        async () => (await cases.getJobState(`apply-approval.${caseId}.${approval}`)) === 'completed',
      );
      await shut(worker);

      // A later approval of the other link: the case has an approved link again, and that approval's job waits.
      let later = '';
      await relaying(
        async () => {
          expect((await staffCall(legal.token, `/cases/${reference}/approve`, { linkIds: [second] })).status).toBe(200);
        },
        async () => {
          later = (await eventIds(caseId, 'takedowns.approved'))[1];
          return [`apply-approval.${caseId}.${later}`];
        },
      );
      const found = (await passOnce()).filter((f) => f.kind === JobName.ApplyApproval);
      expect(found.filter((f) => f.ref === approval)).toEqual([]);
      expect(found.filter((f) => f.ref === later)).toEqual([
        {
          kind: 'apply-approval',
          ref: later,
          jobId: `apply-approval.${caseId}.${later}`,
          state: 'waiting',
          requeued: false,
        },
      ]);
      expect(await cases.getJobState(`apply-approval.${caseId}.${approval}`)).toBe('completed');

      // The later approval is carried out once, by its own job.
      const worker2 = await open(startWorker({ ...env, ...NOT_RECONCILING, ...held }));
      const applied = async (): Promise<{ approval: string; takedowns: number }[]> =>
        (
          await client.query(
            `SELECT detail->>'approval' AS approval, (detail->>'takedowns')::int AS takedowns FROM audit_events
             WHERE case_id = $1 AND action = 'takedowns.scheduled' AND detail ? 'approval' ORDER BY id`,
            [caseId],
          )
        ).rows;
      await waitFor(
        'the second approval to be applied and its link taken down',
        async () => (await applied()).length === 2 && (await linkStatus(second)) === 'taken_down',
      );
      await shut(worker2);
      const rows = await applied();
      expect(rows).toEqual([
        { approval, takedowns: 0 },
        { approval: later, takedowns: 0 },
      ]);
    } finally {
      await cases.close();
    }
  });

  it('does not re-run a restoration whose links an earlier restoration had already put back', async () => {
    const legal = await createStaff(client, 'legal');
    const caseId = await routedCase(
      3,
      {},
      async (id) =>
        (
          await client.query(
            `SELECT 1 FROM reported_links WHERE case_id = $1 AND role = 'infringing' AND status <> 'taken_down'`,
            [id],
          )
        ).rowCount === 0,
    );
    const { reference } = (await client.query(`SELECT reference FROM cases WHERE id = $1`, [caseId])).rows[0];
    const links = await linkIds(caseId);
    const restore = async (link: string): Promise<void> => {
      expect(
        (await staffCall(legal.token, `/cases/${reference}/restore`, { linkIds: [link], reason: 'counter-notice' }))
          .status,
      ).toBe(200);
    };
    const jobOf = (restoration: string): string => `restore-links.${caseId}.${restoration}`;

    let r1 = '';
    let r2 = '';
    await relaying(
      async () => {
        await restore(links[0]);
        await restore(links[1]);
      },
      async () => {
        [r1, r2] = await eventIds(caseId, 'links.restored');
        return [jobOf(r1), jobOf(r2)];
      },
    );
    const takedowns = queue(QueueName.Takedowns);
    try {
      // The second restoration's job is delivered late: the first one's job puts back both links before it runs.
      expect(await takedowns.remove(jobOf(r2))).toBe(1);
      const worker = await open(startWorker({ ...env, ...NOT_RECONCILING }));
      await waitFor(
        'the first restoration to be carried out',
        async () =>
          (
            await client.query(`SELECT 1 FROM audit_events WHERE case_id = $1 AND action = 'takedowns.restored'`, [
              caseId,
            ])
          ).rowCount === 1,
      );
      await takedowns.add(JobName.RestoreLinks, { caseId, restoration: r2 }, { ...JOB_RETRY, jobId: jobOf(r2) });
      await waitFor('the late job to complete', async () => (await takedowns.getJobState(jobOf(r2))) === 'completed');
      await shut(worker);

      // A third restoration whose job waits: the case has a taken-down link marked restored again.
      let r3 = '';
      await relaying(
        () => restore(links[2]),
        async () => {
          r3 = (await eventIds(caseId, 'links.restored'))[2];
          return [jobOf(r3)];
        },
      );
      const found = (await passOnce()).filter((f) => f.kind === JobName.RestoreLinks);
      expect(found.filter((f) => f.ref === r2)).toEqual([]);
      expect(found.filter((f) => f.ref === r3).map((f) => [f.state, f.requeued])).toEqual([['waiting', false]]);
      expect(await takedowns.getJobState(jobOf(r2))).toBe('completed');

      const worker2 = await open(startWorker({ ...env, ...NOT_RECONCILING }));
      await waitFor(
        'the third link to be restored',
        async () =>
          (
            await client.query(`SELECT 1 FROM audit_events WHERE case_id = $1 AND action = 'takedowns.restored'`, [
              caseId,
            ])
          ).rowCount === 3,
      );
      await shut(worker2);
      const { rows } = await client.query(
        `SELECT detail->>'restoration' AS restoration, (detail->>'restored')::int AS restored FROM audit_events
         WHERE case_id = $1 AND action = 'takedowns.restored' ORDER BY id`,
        [caseId],
      );
      expect(rows).toEqual([
        { restoration: r1, restored: 2 },
        { restoration: r2, restored: 0 },
        { restoration: r3, restored: 1 },
      ]);
    } finally {
      await takedowns.close();
    }
  });

  it('sees a live job of any earlier revision of a case, and adds none for the latest', async () => {
    const caseId = await routedCase(1);
    // Two replies revised the case: three notices, routed_at cleared, and the second revision's job still waits.
    for (let i = 0; i < 2; i++) {
      await client.query(
        `INSERT INTO notices (case_id, channel, checklist, link_count, structured)
         SELECT case_id, channel, checklist, 0, structured FROM notices WHERE case_id = $1 LIMIT 1`,
        [caseId],
      );
    }
    await client.query(`UPDATE cases SET routed_at = NULL, updated_at = now() WHERE id = $1`, [caseId]);
    const cases = queue(QueueName.Cases);
    try {
      await cases.add(JobName.RouteCase, { caseId, revision: 2 }, { ...JOB_RETRY, jobId: `route-case.${caseId}.r2` });
      const found = (await passOnce()).filter((f) => f.ref === caseId);
      expect(found).toEqual([
        { kind: 'route-case', ref: caseId, jobId: `route-case.${caseId}.r3`, state: 'waiting', requeued: false },
      ]);
      expect(await cases.getJobState(`route-case.${caseId}.r3`)).toBe('unknown');
    } finally {
      await cases.close();
      await client.query(`UPDATE cases SET routed_at = now() WHERE id = $1`, [caseId]);
    }
  });

  it('puts back the sweep schedule Redis lost, and counts only that', async () => {
    // Routed with its takedown due later, then made overdue: the sweep's schedule is what should take it.
    const caseId = await routedCase(1, { TAKEDOWN_DELAY_SECONDS: '3600' });
    await client.query(`UPDATE takedowns SET due_at = now() - interval '1 hour' WHERE case_id = $1`, [caseId]);
    const takedowns = queue(QueueName.Takedowns);
    const counted = async (): Promise<number> =>
      Number(
        (await client.query(`SELECT total FROM reconcile_counts WHERE kind = 'sweep-due-takedowns'`)).rows[0]?.total ??
          0,
      );
    try {
      await flushRedis();
      const before = await counted();
      const sweep = (finds: ReconcileFind[]): ReconcileFind[] =>
        finds.filter((f) => f.kind === JobName.SweepDueTakedowns);
      expect(sweep(await passOnce())).toEqual([
        {
          kind: 'sweep-due-takedowns',
          ref: 'due-takedowns',
          jobId: SWEEP_SCHEDULER_ID,
          state: 'unknown',
          requeued: true,
        },
      ]);
      expect(await takedowns.getJobScheduler(SWEEP_SCHEDULER_ID)).toEqual(
        expect.objectContaining({ key: SWEEP_SCHEDULER_ID, every: 2_000 }),
      );
      expect(await takedowns.getJobState('sweep-after.none')).toBe('unknown');
      expect(await counted()).toBe(before + 1);

      // Scheduled now: the takedown still waits for a worker, and a pass neither adds a job nor counts a loss.
      expect(sweep(await passOnce())).toEqual([
        {
          kind: 'sweep-due-takedowns',
          ref: 'due-takedowns',
          jobId: SWEEP_SCHEDULER_ID,
          state: 'scheduled',
          requeued: false,
        },
      ]);
      expect(await counted()).toBe(before + 1);
    } finally {
      await takedowns.close();
    }
    const worker = await open(startWorker({ ...env, ...NOT_RECONCILING }));
    await waitFor(
      'the takedown to be swept',
      async () =>
        (await client.query(`SELECT status FROM takedowns WHERE case_id = $1`, [caseId])).rows[0].status === 'done',
    );
    await shut(worker);
  });

  it('warns when Redis does not keep its data as BullMQ asks, and says once that it cannot tell', async () => {
    // The test's own Redis runs without an append-only file.
    const warnings = await new RedisDurabilityService({ url: redis.url, prefix }).check();
    expect(warnings).toEqual([expect.stringContaining('appendonly no; BullMQ needs appendonly yes')]);

    // A managed Redis that refuses CONFIG: one warning saying so, and no crash.
    const managed = await ThrowawayRedis.start(['--rename-command', 'CONFIG', '']);
    try {
      const refused = await new RedisDurabilityService({ url: managed.url, prefix }).check();
      expect(refused).toEqual([expect.stringContaining('Redis refused CONFIG GET')]);
    } finally {
      await managed.stop();
    }
    expect(durabilityWarnings({ appendonly: 'yes', 'maxmemory-policy': 'noeviction' })).toEqual([]);
    expect(durabilityWarnings({ appendonly: 'yes', 'maxmemory-policy': 'allkeys-lru' })).toEqual([
      expect.stringContaining('maxmemory-policy allkeys-lru; BullMQ needs maxmemory-policy noeviction'),
    ]);
  });
});
