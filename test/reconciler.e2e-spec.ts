import 'reflect-metadata';
import type { INestApplicationContext } from '@nestjs/common';
import { Module } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import type { Client } from 'pg';
import { CoreModule } from '../src/core/core.module';
import { QueueName } from '../src/core/queue/jobs';
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
