import 'reflect-metadata';
import { ConsoleLogger, type INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Queue } from 'bullmq';
import type { Client } from 'pg';
import { DataSource } from 'typeorm';
import { QueueName } from '../src/core/queue/jobs';
import { redisOptionsFromUrl } from '../src/core/queue/redis-options';
import { LetterKind } from '../src/letters/letter.entity';
import { LettersService } from '../src/letters/letters.service';
import { WorkerModule } from '../src/worker.module';
import { isolatedDatabase, isolatedDatabaseUrl } from './support/database';
import { applyTestEnv, TEST_REDIS_URL } from './support/env';
import { completeNotice, postJson } from './support/factories';
import { type RunningApi, startApi, uniqueId, uniquePrefix, waitFor } from './support/harness';
import { SmtpSink } from './support/smtp-sink';

jest.setTimeout(90_000);

const DATABASE_URL = isolatedDatabaseUrl('letterprivacy');

/** Everything the worker logs, at every level, as one would read it in its output. */
class CapturingLogger extends ConsoleLogger {
  readonly lines: string[] = [];
  protected override printMessages(messages: unknown[], context?: string, level?: string): void {
    this.lines.push(
      `${level} [${context}] ${messages.map((m) => (m instanceof Error ? m.stack : String(m))).join(' ')}`,
    );
  }
}

describe('SMTP refusals keep the recipient address out of logs, failed jobs and letters', () => {
  const prefix = uniquePrefix();
  const sink = new SmtpSink();
  const logger = new CapturingLogger();
  const written: string[] = [];
  let client: Client;
  let api: RunningApi;
  let worker: INestApplicationContext;
  let queue: Queue;
  const spies: jest.SpyInstance[] = [];

  beforeAll(async () => {
    client = await isolatedDatabase('letterprivacy');
    await sink.start();
    const env = { DATABASE_URL, QUEUE_PREFIX: prefix, SMTP_URL: sink.url, LOG_LEVEL: 'debug' };
    api = await startApi(env);
    applyTestEnv(env);
    // Whatever reaches stdout or stderr besides the Nest logger (BullMQ, nodemailer) is read too.
    for (const stream of [process.stdout, process.stderr]) {
      const write = stream.write.bind(stream);
      spies.push(
        jest.spyOn(stream, 'write').mockImplementation(((chunk: unknown, ...rest: never[]) => {
          written.push(String(chunk));
          return write(chunk as string, ...rest);
        }) as typeof stream.write),
      );
    }
    worker = await NestFactory.createApplicationContext(WorkerModule, { logger });
    logger.setLogLevels(['error', 'warn', 'log', 'debug', 'verbose']);
    await worker.init();
    queue = new Queue(QueueName.Mail, { prefix, connection: redisOptionsFromUrl(TEST_REDIS_URL) });
  });

  afterAll(async () => {
    for (const spy of spies) spy.mockRestore();
    await queue?.close();
    await worker?.close();
    await api?.close();
    await sink.stop();
    await client?.end();
  });

  afterEach(() => {
    sink.mode = 'accept';
  });

  /** A letter to `to` on a case of its own, recorded by the real service with its send job. */
  async function recordLetter(to: string): Promise<string> {
    const res = await postJson(api.url, '/api/v1/notices', completeNotice([`https://example.com/d/${uniqueId()}`]));
    expect(res.status).toBe(201);
    const [kase] = (
      await client.query(`SELECT id, reference, status_token FROM cases WHERE id = $1`, [res.body.caseId])
    ).rows;
    const id = await worker
      .get(DataSource)
      .transaction((m) =>
        worker
          .get(LettersService, { strict: false })
          .record(
            m,
            { id: kase.id, reference: kase.reference, statusToken: kase.status_token },
            LetterKind.Receipt,
            `privacy-${uniqueId()}`,
            to,
            { kind: 'takedown', complete: true, missing: [] },
          ),
      );
    if (!id) throw new Error('the letter was not recorded');
    return id;
  }

  const letter = async (id: string): Promise<{ status: string; last_error: string | null }> =>
    (await client.query(`SELECT status, last_error FROM letters WHERE id = $1`, [id])).rows[0];

  /** Where an address could be left: the letter, the BullMQ job (reason and stack), and everything logged. */
  async function expectNowhere(address: string, letterId: string): Promise<void> {
    const job = await queue.getJob(`send-letter.${letterId}`);
    expect(job?.failedReason).toBeTruthy();
    const local = address.split('@')[0];
    for (const text of [
      job!.failedReason,
      ...(job!.stacktrace ?? []),
      (await letter(letterId)).last_error ?? '',
      ...logger.lines,
      ...written,
    ]) {
      expect(text.toLowerCase()).not.toContain(local.toLowerCase());
    }
  }

  it('keeps the address a 550 RCPT refusal echoes out, and keeps its codes', async () => {
    sink.mode = 'reject-rcpt';
    const to = `echoed-${uniqueId()}@example.net`;
    const id = await recordLetter(to);
    const failed = await waitFor('the letter to fail', async () => {
      const row = await letter(id);
      return row.status === 'failed' ? row : undefined;
    });
    expect(sink.rcptRefused).toContain(to);
    expect(failed.last_error).toContain('550');
    expect(failed.last_error).toContain('5.1.1');
    expect(failed.last_error).toMatch(/recipient address rejected/i);
    const job = await waitFor('the job to be failed', async () => {
      const j = await queue.getJob(`send-letter.${id}`);
      return (await j?.getState()) === 'failed' ? j : undefined;
    });
    expect(job.failedReason).toContain('550 5.1.1');
    await expectNowhere(to, id);
  });

  it('keeps the address a 451 RCPT refusal echoes out of the retry, its log line and the job', async () => {
    sink.mode = 'tempfail-rcpt';
    const to = `later-${uniqueId()}@example.net`;
    const id = await recordLetter(to);
    const retried = await waitFor('a temporary failure to be recorded', async () => {
      const row = await letter(id);
      return row.last_error ? row : undefined;
    });
    expect(retried.status).toBe('queued');
    expect(retried.last_error).toContain('451 4.2.1');
    await waitFor('the job to record its failed attempt', async () => {
      const j = await queue.getJob(`send-letter.${id}`);
      return !!j?.failedReason;
    });
    expect(logger.lines.some((l) => l.includes(id) && l.includes('451'))).toBe(true);
    await expectNowhere(to, id);
    sink.mode = 'accept';
    await waitFor('the retry to send it', async () => (await letter(id)).status === 'sent', 30_000);
    expect(sink.to(to)).toHaveLength(1);
  });
});
