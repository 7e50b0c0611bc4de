import type { TestingModule } from '@nestjs/testing';
import type { Client } from 'pg';
import { completeNoticeFrom, postJson } from './support/factories';
import { db, type RunningApi, startApi, startMailWorker, uniqueId, uniquePrefix, waitFor } from './support/harness';
import { compose, freePort, sendRaw, type SmtpError } from './support/mail-fixtures';

jest.setTimeout(90_000);

const INTAKE = 'dmca@example.com';

/**
 * Rate limits shared through Redis (issue 13 §4): two API processes share one count per client address and per
 * sender, answering 429 with Retry-After past it; the SMTP listener answers a flood 451 before DATA, so the sending
 * server keeps the message, and every refused message is accepted when it is sent again after the window; with
 * Redis away the limiter lets notices through. Real Postgres, Redis and SMTP.
 */
describe('rate limits', () => {
  let client: Client;

  beforeAll(async () => {
    client = await db();
  });

  afterAll(async () => {
    await client?.end();
  });

  const notice = (api: RunningApi, sender: string, address: string) =>
    postJson(api.url, '/api/v1/notices', completeNoticeFrom(sender, [`https://example.com/d/${uniqueId()}`]), {
      'x-forwarded-for': address,
    });

  it('shares the per-address and per-sender counts between two API processes, answering 429 with Retry-After', async () => {
    const env = {
      QUEUE_PREFIX: uniquePrefix(),
      API_RATE_LIMIT: '4',
      API_SENDER_RATE_LIMIT: '3',
      RATE_LIMIT_WINDOW_SECONDS: '60',
    };
    const [a, b] = [await startApi(env), await startApi(env)];
    try {
      const address = `203.0.113.${uniqueId() % 250}`;
      const statuses: number[] = [];
      for (let i = 0; i < 4; i++)
        statuses.push((await notice(i % 2 ? a : b, `s${i}-${uniqueId()}@rights.test`, address)).status);
      expect(statuses).toEqual([201, 201, 201, 201]);
      const refused = await notice(a, `late-${uniqueId()}@rights.test`, address);
      expect(refused.status).toBe(429);
      expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
      expect(refused.body.message).toMatch(/Too many notices from this address: try again in \d+ seconds/);
      // Another client address is not affected.
      expect((await notice(b, `other-${uniqueId()}@rights.test`, `198.51.100.${uniqueId() % 250}`)).status).toBe(201);

      // The sender's own count, across addresses and processes.
      const sender = `busy-${uniqueId()}@rights.test`;
      const bySender: number[] = [];
      for (let i = 0; i < 4; i++)
        bySender.push((await notice(i % 2 ? a : b, sender, `192.0.2.${(uniqueId() + i) % 250}`)).status);
      expect(bySender).toEqual([201, 201, 201, 429]);
    } finally {
      await a.close();
      await b.close();
    }
  });

  it('lets notices through while Redis does not answer', async () => {
    const api = await startApi({ REDIS_URL: `redis://127.0.0.1:${await freePort()}`, API_RATE_LIMIT: '1' });
    try {
      for (let i = 0; i < 3; i++) {
        expect((await notice(api, `r${i}-${uniqueId()}@rights.test`, '203.0.113.9')).status).toBe(201);
      }
    } finally {
      await api.close();
    }
  });

  it('answers a flood of mail 451 before DATA, and accepts every refused message when it is sent again', async () => {
    const port = await freePort();
    const worker: TestingModule = await startMailWorker({
      QUEUE_PREFIX: uniquePrefix(),
      SMTP_LISTEN_PORT: String(port),
      SMTP_LISTEN_HOST: '127.0.0.1',
      INBOUND_ADDRESSES: INTAKE,
      MAIL_FROM: INTAKE,
      SMTP_RATE_LIMIT: '3',
      SMTP_SENDER_RATE_LIMIT: '100',
      RATE_LIMIT_WINDOW_SECONDS: '6',
    });
    try {
      const run = uniqueId();
      const messages = await Promise.all(
        [0, 1, 2, 3, 4].map((i) =>
          compose({
            from: `flood-${i}@rights-holder.test`,
            to: INTAKE,
            subject: `DMCA notice ${run}-${i}`,
            messageId: `<flood-${run}-${i}@rights-holder.test>`,
            text: `Please remove https://example.com/d/${run}${i}, our software.`,
          }),
        ),
      );
      const send = (i: number) =>
        sendRaw(port, messages[i], { from: `flood-${i}@rights-holder.test`, to: [INTAKE] }).then(
          () => 250,
          (e: SmtpError) => e.responseCode ?? 0,
        );
      // All at once, as a flood comes: three fit in the window, two are refused for now.
      const first = await Promise.all([0, 1, 2, 3, 4].map(send));
      expect([...first].sort()).toEqual([250, 250, 250, 451, 451]);
      const refused = [0, 1, 2, 3, 4].filter((i) => first[i] === 451);
      const stored = async () =>
        Number(
          (
            await client.query(`SELECT count(*)::int AS n FROM inbound_messages WHERE message_id LIKE $1`, [
              `%flood-${run}-%`,
            ])
          ).rows[0].n,
        );
      expect(await stored()).toBe(3);
      // The sending server tries again later: after the window, both are taken.
      await new Promise((r) => setTimeout(r, 6_100));
      expect(await Promise.all(refused.map(send))).toEqual([250, 250]);
      await waitFor('all five messages to be stored', async () => (await stored()) === 5);
    } finally {
      await worker.close();
    }
  });
});
