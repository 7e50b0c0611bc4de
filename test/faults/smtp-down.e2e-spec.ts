import 'reflect-metadata';
import type { INestApplicationContext } from '@nestjs/common';
import type { Client } from 'pg';
import { JOB_RETRY } from '../../src/core/queue/jobs';
import { freshDatabase, isolatedDatabaseUrl } from '../support/database';
import { TEST_REDIS_URL } from '../support/env';
import { reportFault } from '../support/fault-report';
import { completeNoticeFrom, postJson } from '../support/factories';
import { type RunningApi, startApi, startWorker, uniqueId, uniquePrefix, waitFor } from '../support/harness';
import { freePort } from '../support/mail-fixtures';
import { SmtpSink } from '../support/smtp-sink';

jest.setTimeout(120_000);

const NOTICES = 20;

/**
 * The relay is down (nothing listens on SMTP_URL's port) for longer than a job's retries last: with
 * LETTER_RELAY_RETRY_MAX_SECONDS=1 standing in for an hour, each letter is tried more often than JOB_RETRY allows,
 * none is failed, and once the relay is back every letter goes out, once.
 */
describe('SMTP down', () => {
  const prefix = uniquePrefix();
  let client: Client;
  let api: RunningApi;
  let worker: INestApplicationContext;
  let sink: SmtpSink | undefined;
  let port: number;

  beforeAll(async () => {
    client = await freshDatabase('faults_smtp');
    port = await freePort();
    const env = {
      DATABASE_URL: isolatedDatabaseUrl('faults_smtp'),
      REDIS_URL: TEST_REDIS_URL,
      QUEUE_PREFIX: prefix,
      SMTP_URL: `smtp://127.0.0.1:${port}`,
      TAKEDOWN_DELAY_SECONDS: '3600',
      LETTER_RELAY_RETRY_MAX_SECONDS: '1',
    };
    api = await startApi(env);
    worker = await startWorker(env);
  });

  afterAll(async () => {
    await worker?.close();
    await api?.close();
    await sink?.stop();
    await client?.end();
  });

  it('keeps the letters waiting however long the relay is away, then sends each once', async () => {
    const run = uniqueId();
    const cases: string[] = [];
    for (let i = 0; i < NOTICES; i++) {
      const res = await postJson(
        api.url,
        '/api/v1/notices',
        completeNoticeFrom(`smtp-${run}-${i}@example.org`, [`https://mega.nz/file/${run}${i}`]),
      );
      expect(res.status).toBe(201);
      cases.push(res.body.caseId as string);
    }
    const letters = async () =>
      (
        await client.query<{ status: string; attempts: number; message_id: string; last_error: string | null }>(
          `SELECT status, attempts, message_id, last_error FROM letters WHERE case_id = ANY($1::uuid[])`,
          [cases],
        )
      ).rows;
    const startedAt = Date.now();
    const waited = await waitFor(
      'every letter to be tried more often than a job retries',
      async () => {
        const rows = await letters();
        return rows.length === 2 * NOTICES && rows.every((l) => l.attempts > JOB_RETRY.attempts) ? rows : undefined;
      },
      90_000,
    );
    expect(waited.every((l) => l.status === 'queued')).toBe(true);
    expect(waited[0].last_error).toMatch(/ECONNREFUSED/);
    const downMs = Date.now() - startedAt;

    sink = await new SmtpSink().start(port);
    const sent = await waitFor(
      'every letter to go out',
      async () => {
        const rows = await letters();
        return rows.every((l) => l.status === 'sent') ? rows : undefined;
      },
      30_000,
    );
    for (const l of sent) expect(sink.received.filter((m) => m.parsed.messageId === l.message_id)).toHaveLength(1);

    reportFault('smtp_down', {
      letters: sent.length,
      downMs,
      triesWhileDownMin: Math.min(...waited.map((l) => l.attempts)),
      jobRetries: JOB_RETRY.attempts,
      failed: 0,
      sentAfter: sent.length,
      duplicateMails: sink.received.length - sent.length,
    });
  });
});
