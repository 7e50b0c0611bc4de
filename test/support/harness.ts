import 'reflect-metadata';
import { INestApplicationContext, type LoggerService, type LogLevel } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Test, type TestingModule } from '@nestjs/testing';
import { ExpressAdapter, type NestExpressApplication } from '@nestjs/platform-express';
import { Queue } from 'bullmq';
import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { Client } from 'pg';
import { AppModule } from '../../src/app.module';
import { CLOCK, type Clock } from '../../src/core/clock';
import { QueueName } from '../../src/core/queue/jobs';
import { redisOptionsFromUrl } from '../../src/core/queue/redis-options';
import { configureHttpApp } from '../../src/http-app';
import { MAIL_DNS_RESOLVER } from '../../src/email-intake/sender-auth.service';
import { WorkerModule } from '../../src/worker.module';
import { applyTestEnv, TEST_DATABASE_URL, TEST_REDIS_URL } from './env';
import { fakeResolver } from './mail-fixtures';
import { SmtpSink } from './smtp-sink';

export interface RunningApi {
  url: string;
  /** The running Nest application, for tests that inspect its routes and providers. */
  app: NestExpressApplication;
  close(): Promise<void>;
}

/** Boots the real HTTP app on a free port against the test database; `logger` to read what it logs. */
export async function startApi(
  env: Record<string, string> = {},
  { logger, clock }: { logger?: LoggerService; clock?: Clock } = {},
): Promise<RunningApi> {
  applyTestEnv(env);
  const options = { bodyParser: false, rawBody: true, logger: logger ?? (['error'] as LogLevel[]) };
  // With a clock of the test's, the app is built as a testing module so that CLOCK can be replaced.
  const app = clock
    ? (
        await Test.createTestingModule({ imports: [AppModule] })
          .overrideProvider(CLOCK)
          .useValue(clock)
          .compile()
      ).createNestApplication<NestExpressApplication>(new ExpressAdapter(), options)
    : await NestFactory.create<NestExpressApplication>(AppModule, new ExpressAdapter(), options);
  configureHttpApp(app);
  await app.listen(0, '127.0.0.1');
  const { port } = app.getHttpServer().address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, app, close: () => app.close() };
}

/**
 * Boots a real worker: outbox relay, BullMQ processors and the sweep schedule. Unless the test names an SMTP_URL,
 * its letters go to a sink of its own that closes with it: with no server at all, send jobs would sit in retry
 * and drain() would wait for them.
 */
export async function startWorker(env: Record<string, string> = {}): Promise<INestApplicationContext> {
  const sink = env.SMTP_URL ? undefined : await new SmtpSink().start();
  applyTestEnv(sink ? { SMTP_URL: sink.url, ...env } : env);
  const worker = await NestFactory.createApplicationContext(WorkerModule, {
    logger: process.env.TEST_LOG ? ['error', 'warn', 'log'] : ['error'],
  });
  await worker.init();
  if (sink) {
    const close = worker.close.bind(worker);
    worker.close = async () => {
      await close();
      await sink.stop();
    };
  }
  return worker;
}

/**
 * The real worker, with DNS for SPF, DKIM and DMARC answered from a fixed zone (mail-fixtures' fakeResolver) instead
 * of the network, for tests of email intake.
 */
export async function startMailWorker(
  env: Record<string, string>,
  { logger }: { logger?: LoggerService } = {},
): Promise<TestingModule> {
  applyTestEnv(env);
  const builder = Test.createTestingModule({ imports: [WorkerModule] })
    .overrideProvider(MAIL_DNS_RESOLVER)
    .useValue(fakeResolver);
  const worker = await (logger ? builder.setLogger(logger) : builder).compile();
  worker.useLogger(logger ?? (process.env.TEST_LOG ? ['error', 'warn', 'log'] : ['error']));
  await worker.init();
  return worker;
}

/** A queue prefix of its own, so that a test file's jobs never meet another's. */
export function uniquePrefix(): string {
  return `test-${randomBytes(4).toString('hex')}`;
}

export async function db(): Promise<Client> {
  const client = new Client({ connectionString: TEST_DATABASE_URL });
  await client.connect();
  return client;
}

/** Polls until `check` returns a value other than undefined/false, or fails after `timeoutMs`. */
export async function waitFor<T>(
  what: string,
  check: () => Promise<T | undefined | false>,
  timeoutMs = 20_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await check();
      if (value !== undefined && value !== false) return value;
    } catch (error) {
      last = error;
    }
    if (Date.now() > deadline)
      throw new Error(`Timed out waiting for ${what}${last instanceof Error ? `: ${last.message}` : ''}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Waits until the outbox is relayed and the queues under `prefix` have nothing waiting, delayed or running. */
export async function drain(client: Client, redisUrl: string, prefix: string, timeoutMs = 20_000): Promise<void> {
  const queues = Object.values(QueueName).map(
    (name) => new Queue(name, { prefix, connection: redisOptionsFromUrl(redisUrl) }),
  );
  try {
    await waitFor(
      'the outbox and queues to drain',
      async () => {
        const { rows } = await client.query(`SELECT count(*)::int AS n FROM outbox WHERE dispatched_at IS NULL`);
        if (rows[0].n > 0) return false;
        for (const q of queues) {
          const c = await q.getJobCounts('waiting', 'active', 'prioritized', 'waiting-children');
          if (Object.values(c).some((n) => n > 0)) return false;
          // The sweep's scheduler always keeps its next run delayed: only retries count as work.
          const delayed = await q.getDelayed();
          if (delayed.some((job) => !job.repeatJobKey)) return false;
        }
        return true;
      },
      timeoutMs,
    );
  } finally {
    await Promise.all(queues.map((q) => q.close()));
  }
}

/** A unique number for catalog ids and URLs, so that tests never share rows. */
export function uniqueId(): number {
  return 1_000_000 + Math.floor(Math.random() * 8_000_000_000);
}

/** Files a notice through the API and waits until the worker has routed its case. */
export async function fileRoutedCase(
  api: RunningApi,
  client: Client,
  prefix: string,
  notice: Record<string, unknown>,
): Promise<{ reference: string; caseId: string }> {
  const res = await fetch(`${api.url}/api/v1/notices`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(notice),
  });
  const body = (await res.json()) as { reference: string; caseId: string };
  if (res.status !== 201) throw new Error(`Filing the notice answered ${res.status}: ${JSON.stringify(body)}`);
  await drain(client, TEST_REDIS_URL, prefix);
  await waitFor('the case to be routed', async () => {
    const { rows } = await client.query<{ routed_at: Date | null }>(`SELECT routed_at FROM cases WHERE id = $1`, [
      body.caseId,
    ]);
    return rows[0].routed_at !== null;
  });
  return { reference: body.reference, caseId: body.caseId };
}

/** A case's audit trail, oldest first. */
export async function auditTrail(
  client: Client,
  caseId: string,
): Promise<{ actor: string; action: string; detail: any }[]> {
  return (await client.query(`SELECT actor, action, detail FROM audit_events WHERE case_id = $1 ORDER BY id`, [caseId]))
    .rows;
}

/**
 * A case's audit trail, oldest first, with each text id (a detail field ending in "Text") read as the words it
 * names: null where none was given, "(erased)" once erased. The stored detail holds only the ids (auditTrail).
 */
export async function auditTrailWithTexts(
  client: Client,
  caseId: string,
): Promise<{ actor: string; action: string; detail: any }[]> {
  const events = await auditTrail(client, caseId);
  const isText = ([key, value]: [string, unknown]): boolean => key.endsWith('Text') && typeof value === 'string';
  const ids = events.flatMap((e) =>
    Object.entries(e.detail)
      .filter(isText)
      .map(([, id]) => id),
  );
  const { rows } = await client.query<{ id: string; text: string | null }>(
    `SELECT id, text FROM case_texts WHERE id = ANY($1::uuid[])`,
    [ids],
  );
  const words = new Map(rows.map((r) => [r.id, r.text ?? '(erased)']));
  return events.map((e) => ({
    ...e,
    detail: Object.fromEntries(
      Object.entries(e.detail).map(([key, value]) =>
        isText([key, value]) ? [key, words.get(value as string) ?? '(erased)'] : [key, value],
      ),
    ),
  }));
}
