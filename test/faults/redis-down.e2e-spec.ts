import 'reflect-metadata';
import type { TestingModule } from '@nestjs/testing';
import type { Client } from 'pg';
import { freshDatabase, isolatedDatabaseUrl } from '../support/database';
import { reportFault } from '../support/fault-report';
import { completeNoticeFrom, postJson } from '../support/factories';
import { type RunningApi, startApi, startMailWorker, uniqueId, uniquePrefix, waitFor } from '../support/harness';
import { compose, completeNoticeText, freePort, sendRaw } from '../support/mail-fixtures';
import { ThrowawayRedis } from '../support/redis-server';
import { SmtpSink } from '../support/smtp-sink';

jest.setTimeout(180_000);

const INTAKE = 'dmca@example.com';
const STREAM_MS = 14_000;
const DOWN_FROM_MS = 3_000;
const DOWN_FOR_MS = 8_000;

/**
 * A stream of notices by API and by SMTP while the test's own redis-server is killed and, a while later, started
 * again (empty: it keeps nothing on disk). Every notice is accepted (201, 250) throughout, and once Redis is back
 * each case is routed exactly once and its letters go out once.
 */
describe('Redis down under a stream of notices and mail', () => {
  const prefix = uniquePrefix();
  const sink = new SmtpSink();
  let redis: ThrowawayRedis;
  let client: Client;
  let api: RunningApi;
  let worker: TestingModule;
  let smtpPort: number;

  beforeAll(async () => {
    client = await freshDatabase('faults_redis');
    redis = await ThrowawayRedis.start();
    await sink.start();
    smtpPort = await freePort();
    const env = {
      DATABASE_URL: isolatedDatabaseUrl('faults_redis'),
      REDIS_URL: redis.url,
      QUEUE_PREFIX: prefix,
      SMTP_URL: sink.url,
      MAIL_FROM: INTAKE,
      INBOUND_ADDRESSES: INTAKE,
      SMTP_LISTEN_PORT: String(smtpPort),
      SMTP_LISTEN_HOST: '127.0.0.1',
      TAKEDOWN_DELAY_SECONDS: '3600',
      // The reconciler puts back the jobs an empty Redis lost; the outbox holds only those not relayed yet.
      RECONCILE_EVERY_SECONDS: '5',
    };
    api = await startApi(env);
    worker = await startMailWorker(env);
  });

  afterAll(async () => {
    await redis?.start();
    await worker?.close();
    await api?.close();
    await redis?.stop();
    await sink.stop();
    await client?.end();
  });

  it('accepts everything while Redis is away and routes each case once after', async () => {
    const run = uniqueId();
    const statuses: string[] = [];
    let n = 0;
    const end = Date.now() + STREAM_MS;
    const byApi = async (): Promise<void> => {
      while (Date.now() < end) {
        const i = n++;
        const res = await postJson(
          api.url,
          '/api/v1/notices',
          completeNoticeFrom(`redis-${run}-${i}@example.org`, [`https://mega.nz/file/${run}${i}`]),
        );
        statuses.push(`api ${res.status}`);
        await new Promise((r) => setTimeout(r, 100));
      }
    };
    const byMail = async (): Promise<void> => {
      while (Date.now() < end) {
        const i = n++;
        const from = `mail-${run}-${i}@rights-holder.test`;
        const raw = await compose({
          from,
          to: INTAKE,
          subject: 'Copyright infringement notice',
          messageId: `<redis-${run}-${i}@rights-holder.test>`,
          text: completeNoticeText(`https://mega.nz/file/${run}${i}`, 'Jane Roe', from),
        });
        const reply = await sendRaw(smtpPort, raw, { from, to: [INTAKE] }).catch((e: Error) => e.message);
        statuses.push(`smtp ${reply.slice(0, 3)}`);
        await new Promise((r) => setTimeout(r, 200));
      }
    };
    const outage = (async () => {
      await new Promise((r) => setTimeout(r, DOWN_FROM_MS));
      await redis.stop();
      await new Promise((r) => setTimeout(r, DOWN_FOR_MS));
      await redis.start();
    })();
    await Promise.all([byApi(), byApi(), byMail(), outage]);

    const refused = statuses.filter((s) => s !== 'api 201' && s !== 'smtp 250');
    expect(refused).toEqual([]);
    const apiCount = statuses.filter((s) => s.startsWith('api')).length;
    const mailCount = statuses.length - apiCount;

    const cases = await waitFor(
      'every notice to be a routed case',
      async () => {
        const { rows } = await client.query<{ id: string; routed: number }>(
          `SELECT c.id, (SELECT count(*)::int FROM audit_events a WHERE a.case_id = c.id AND a.action = 'case.routed') AS routed
           FROM cases c`,
        );
        return rows.length === statuses.length && rows.every((c) => c.routed >= 1) ? rows : undefined;
      },
      120_000,
    );
    expect(cases.filter((c) => c.routed !== 1)).toEqual([]);
    const letters = await waitFor(
      'every letter to be sent',
      async () => {
        const { rows } = await client.query<{ status: string; message_id: string }>(
          `SELECT status, message_id FROM letters`,
        );
        return rows.length > 0 && rows.every((l) => l.status === 'sent') ? rows : undefined;
      },
      120_000,
    );
    const copies = letters.map((l) => sink.received.filter((m) => m.parsed.messageId === l.message_id).length);
    expect(copies.every((c) => c === 1)).toBe(true);

    reportFault('redis_down', {
      redisDownMs: DOWN_FOR_MS,
      notices: statuses.length,
      byApi: apiCount,
      byMail: mailCount,
      refused: refused.length,
      cases: cases.length,
      routedTwice: cases.filter((c) => c.routed > 1).length,
      letters: letters.length,
      duplicateMails: copies.reduce((sum, c) => sum + c - 1, 0),
    });
  });
});
