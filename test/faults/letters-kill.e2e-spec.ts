import 'reflect-metadata';
import type { Client } from 'pg';
import { freshDatabase, isolatedDatabaseUrl } from '../support/database';
import { TEST_REDIS_URL } from '../support/env';
import { reportFault } from '../support/fault-report';
import { completeNoticeFrom, postJson } from '../support/factories';
import { type RunningApi, startApi, uniqueId, uniquePrefix, waitFor } from '../support/harness';
import { AppProcess } from '../support/processes';
import { SmtpSink } from '../support/smtp-sink';

jest.setTimeout(240_000);

const NOTICES = 200;

interface LetterRow {
  id: string;
  status: string;
  message_id: string;
  attempts: number;
  resends: number;
}

/**
 * The worker, a process of its own, is killed with SIGKILL while it sends 200 letters through a relay that takes
 * 40 ms a message, then started again. Every letter goes out; a letter goes out twice only if its try was under
 * way when the worker died (recorded before sending, never confirmed), and then under the same Message-ID.
 */
describe('the worker killed mid letter-sending', () => {
  const prefix = uniquePrefix();
  const sink = new SmtpSink();
  let client: Client;
  let api: RunningApi;
  let worker: AppProcess | undefined;
  let env: Record<string, string>;

  beforeAll(async () => {
    client = await freshDatabase('faults_letters');
    await sink.start();
    sink.acceptDelayMs = 40;
    env = {
      DATABASE_URL: isolatedDatabaseUrl('faults_letters'),
      REDIS_URL: TEST_REDIS_URL,
      QUEUE_PREFIX: prefix,
      SMTP_URL: sink.url,
      TAKEDOWN_DELAY_SECONDS: '3600',
      LETTER_LEASE_SECONDS: '5',
    };
    api = await startApi(env);
  });

  afterAll(async () => {
    await worker?.kill();
    await api?.close();
    await sink.stop();
    await client?.end();
  });

  it('sends every letter, twice only after an unconfirmed try, with the same Message-ID', async () => {
    const run = uniqueId();
    const cases: string[] = [];
    for (let i = 0; i < NOTICES; i++) {
      const res = await postJson(
        api.url,
        '/api/v1/notices',
        completeNoticeFrom(`letters-${run}-${i}@example.org`, [`https://mega.nz/file/${run}${i}`]),
      );
      expect(res.status).toBe(201);
      cases.push(res.body.caseId as string);
    }
    const letters = async (): Promise<LetterRow[]> =>
      (
        await client.query<LetterRow>(
          `SELECT id, status, message_id, attempts, resends FROM letters WHERE case_id = ANY($1::uuid[])`,
          [cases],
        )
      ).rows;

    // The worker routes the cases, which records their letters (a receipt and a referral each), and sends them.
    worker = await AppProcess.worker('faults-letters-worker-1', env);
    await waitFor('the worker to be sending', () => Promise.resolve(sink.received.length >= NOTICES / 2), 60_000);
    await worker.kill();
    const receivedAtKill = sink.received.length;
    const { rows: unconfirmed } = await client.query<{ id: string }>(
      `SELECT id FROM letters WHERE case_id = ANY($1::uuid[]) AND status = 'queued' AND sending_since IS NOT NULL`,
      [cases],
    );
    const sentAtKill = (await letters()).filter((l) => l.status === 'sent').length;
    expect(sentAtKill).toBeLessThan(2 * NOTICES);

    const restartedAt = Date.now();
    worker = await AppProcess.worker('faults-letters-worker-2', env);
    const all = await waitFor(
      'every letter to be sent',
      async () => {
        const rows = await letters();
        return rows.length >= 2 * NOTICES && rows.every((l) => l.status === 'sent') ? rows : undefined;
      },
      180_000,
    );
    const recoveredMs = Date.now() - restartedAt;

    const copies = new Map<string, number>();
    for (const m of sink.received) copies.set(m.parsed.messageId!, (copies.get(m.parsed.messageId!) ?? 0) + 1);
    const unconfirmedIds = new Set(unconfirmed.map((r) => r.id));
    for (const l of all) {
      const n = copies.get(l.message_id) ?? 0;
      expect({ id: l.id, sent: n >= 1 }).toEqual({ id: l.id, sent: true });
      if (n > 1) {
        // Twice only in the window between the relay's 250 and the commit, and counted as a re-send.
        expect({ id: l.id, unconfirmedAtKill: unconfirmedIds.has(l.id), resends: l.resends }).toEqual({
          id: l.id,
          unconfirmedAtKill: true,
          resends: n - 1,
        });
      }
    }
    const resent = all.filter((l) => l.resends > 0);
    // Every re-send is of a letter whose try was under way at the kill.
    for (const l of resent) expect(unconfirmedIds.has(l.id)).toBe(true);
    const duplicates = [...copies.values()].reduce((n, c) => n + c - 1, 0);
    expect(sink.received.length).toBe(all.length + duplicates);

    reportFault('letters_sigkill', {
      letters: all.length,
      receivedAtKill,
      sentAtKill,
      unconfirmedAtKill: unconfirmed.length,
      resends: resent.reduce((n, l) => n + l.resends, 0),
      duplicateMails: duplicates,
      recoveredMs,
    });
  });
});
