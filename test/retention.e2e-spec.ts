import 'reflect-metadata';
import { Module } from '@nestjs/common';
import { Test, type TestingModule } from '@nestjs/testing';
import { Queue, Worker } from 'bullmq';
import { randomBytes, randomUUID } from 'node:crypto';
import { Client } from 'pg';
import type { EntityManager } from 'typeorm';
import { runCli } from '../src/cli';
import { CoreModule } from '../src/core/core.module';
import { JobName, QueueName, RETENTION_SCHEDULER_ID } from '../src/core/queue/jobs';
import { redisOptionsFromUrl } from '../src/core/queue/redis-options';
import { ErasureService } from '../src/privacy/erasure.service';
import { RetentionModule } from '../src/privacy/retention.module';
import { type RetentionReport, RetentionService } from '../src/privacy/retention.service';
import { freshDatabase, isolatedDatabaseUrl } from './support/database';
import { applyTestEnv, TEST_REDIS_URL } from './support/env';
import { startApi, startWorker, uniquePrefix, waitFor } from './support/harness';
import { createStaff, signIn } from './support/staff';

jest.setTimeout(120_000);

@Module({ imports: [CoreModule, RetentionModule] })
class RetentionOnlyModule {}

/**
 * Retention removes rows across its whole database, whoever made them: a database of its own, made afresh for each
 * run of this file, lets the test say exactly what is due.
 */
const SUFFIX = 'retention';
const DATABASE_URL = isolatedDatabaseUrl(SUFFIX);
const DAY = 86_400_000;

/**
 * ErasureService is another part's (it is not built yet): this stand-in erases what the README says eraseCaseData
 * erases of the parties, and remembers which cases it was called for.
 */
class FakeErasure {
  readonly calls: { caseId: string; actor: string }[] = [];

  async eraseCaseData(m: EntityManager, caseId: string, actor: string): Promise<{ values: number }> {
    this.calls.push({ caseId, actor });
    const [row] = await m.query<{ n: number }[]>(
      `WITH u AS (UPDATE parties SET name = NULL, email = NULL, phone = NULL, address = NULL
                  WHERE case_id = $1 RETURNING 1)
       SELECT (count(*) * 4)::int AS n FROM u`,
      [caseId],
    );
    return { values: row.n };
  }
}

interface CaseFixture {
  id: string;
  reference: string;
  messageId: string;
}

/** Everything retention should compare, without the clock and the kind of run. */
function outcome(r: RetentionReport): Pick<RetentionReport, 'counts' | 'cases' | 'held' | 'failed'> {
  return { counts: r.counts, cases: r.cases, held: r.held, failed: r.failed };
}

describe('retention', () => {
  let client: Client;
  let context: TestingModule;
  let retention: RetentionService;
  const erasure = new FakeErasure();
  const prefix = uniquePrefix();
  let seq = 0;

  beforeAll(async () => {
    client = await freshDatabase(SUFFIX);
    applyTestEnv({ DATABASE_URL, QUEUE_PREFIX: prefix });
    context = await Test.createTestingModule({ imports: [RetentionOnlyModule] })
      .overrideProvider(ErasureService)
      .useValue(erasure)
      .compile();
    context.useLogger(['error']);
    await context.init();
    retention = context.get(RetentionService);
  });

  afterAll(async () => {
    await context?.close();
    await client?.end();
  });

  const ago = (days: number): Date => new Date(Date.now() - days * DAY);

  /** A case that went to `status` `closedDaysAgo` days ago, with its parties, one email and its attachments. */
  async function closedCase(
    status: 'closed' | 'rejected' | 'withdrawn' | 'in_review',
    closedDaysAgo: number,
    evidenceFiles: number,
  ): Promise<CaseFixture> {
    const reference = `DMCA-2020-${String(++seq).padStart(6, '0')}`;
    const {
      rows: [kase],
    } = await client.query<{ id: string }>(
      `INSERT INTO cases (reference, status, kind, status_token, checklist)
       VALUES ($1, $2, 'takedown', $3, '{}') RETURNING id`,
      [reference, status, randomBytes(12).toString('hex')],
    );
    await client.query(
      `INSERT INTO parties (case_id, role, name, email, phone, address)
       VALUES ($1, 'complainant', 'Jane Roe', 'jane@example.org', '+1 555 0100', '1 Market St')`,
      [kase.id],
    );
    if (status === 'in_review') {
      // Closed long ago, then reopened: no longer closed.
      await transitioned(kase.id, 'in_review', 'closed', closedDaysAgo + 1);
      await transitioned(kase.id, 'closed', 'in_review', closedDaysAgo);
    } else await transitioned(kase.id, 'in_review', status, closedDaysAgo);
    const messageId = await message(kase.id, 'parsed', closedDaysAgo + 2, evidenceFiles);
    return { id: kase.id, reference, messageId };
  }

  async function transitioned(caseId: string, from: string, to: string, daysAgo: number): Promise<void> {
    await client.query(
      `INSERT INTO audit_events (case_id, actor, action, detail, at) VALUES ($1, 'system', 'case.transitioned', $2, $3)`,
      [caseId, JSON.stringify({ from, to, reason: 'test' }), ago(daysAgo)],
    );
  }

  async function message(caseId: string | null, status: string, daysAgo: number, files: number): Promise<string> {
    const raw = Buffer.from(`From: jane@example.org\r\nSubject: notice ${randomUUID()}\r\n\r\nHello`);
    const {
      rows: [m],
    } = await client.query<{ id: string }>(
      `INSERT INTO inbound_messages (channel, raw, size_bytes, content_hash, envelope_from, status, case_id, received_at)
       VALUES ('smtp', $1, $2, $3, 'jane@example.org', $4, $5, $6) RETURNING id`,
      [raw, raw.length, randomUUID(), status, caseId, ago(daysAgo)],
    );
    for (let i = 0; i < files; i++) {
      await client.query(
        `INSERT INTO evidence_files (inbound_message_id, case_id, filename, content_type, size_bytes, sha256, content)
         VALUES ($1, $2, $3, 'application/pdf', 3, 'x', '\\x010203')`,
        [m.id, caseId, `scan-${i}.pdf`],
      );
    }
    return m.id;
  }

  async function hold(caseId: string, kind: 'suit' | 'preservation', released: boolean): Promise<void> {
    await client.query(
      `INSERT INTO legal_holds (case_id, kind, reason, set_by, released_at) VALUES ($1, $2, 'test hold', 'test', $3)`,
      [caseId, kind, released ? ago(1) : null],
    );
  }

  async function mail(id: string): Promise<{ raw: number; removed: boolean; files: number }> {
    const { rows } = await client.query(
      `SELECT length(raw) AS raw, raw_removed_at IS NOT NULL AS removed,
              (SELECT count(*)::int FROM evidence_files e WHERE e.inbound_message_id = m.id) AS files
       FROM inbound_messages m WHERE id = $1`,
      [id],
    );
    return rows[0];
  }

  async function party(caseId: string): Promise<{ name: string | null; erased: boolean }> {
    const { rows } = await client.query(
      `SELECT p.name, c.personal_data_erased_at IS NOT NULL AS erased
       FROM parties p JOIN cases c ON c.id = p.case_id WHERE p.case_id = $1`,
      [caseId],
    );
    return rows[0];
  }

  async function exists(table: string, key: string, value: string): Promise<boolean> {
    const { rows } = await client.query(`SELECT 1 FROM ${table} WHERE ${key} = $1`, [value]);
    return rows.length > 0;
  }

  async function retentionEvents(caseId: string): Promise<{ actor: string; detail: any }[]> {
    return (
      await client.query(
        `SELECT actor, detail FROM audit_events WHERE case_id = $1 AND action = 'retention.applied' ORDER BY id`,
        [caseId],
      )
    ).rows;
  }

  async function cli(args: string[]): Promise<{ code: number; report: RetentionReport }> {
    let stdout = '';
    let stderr = '';
    const code = await runCli(['retention', ...args], {
      out: (l) => (stdout += l),
      err: (l) => (stderr += l),
    });
    if (code !== 0) throw new Error(`retention ${args.join(' ')} exited ${code}: ${stderr}`);
    const lines = stdout.trim().split('\n');
    expect(lines).toHaveLength(1);
    return { code, report: JSON.parse(lines[0]) as RetentionReport };
  }

  it('removes exactly what is due, keeps what a legal hold covers, and its dry run and real run agree', async () => {
    // Closed cases: mail due after 90 days, the parties after 3 years.
    const monthsAgo = await closedCase('closed', 100, 2);
    const yearsAgo = await closedCase('rejected', 4 * 365, 1);
    const releasedHold = await closedCase('withdrawn', 4 * 365, 0);
    await hold(releasedHold.id, 'suit', true);
    const held = await closedCase('closed', 4 * 365, 2);
    await hold(held.id, 'preservation', false);
    const recent = await closedCase('closed', 10, 1);
    const reopened = await closedCase('in_review', 4 * 365, 1);
    // Mail with no case: quarantined long ago (due) or lately; and one still waiting for the parser.
    const quarantinedLongAgo = await message(null, 'quarantined', 100, 1);
    const quarantinedLately = await message(null, 'quarantined', 10, 0);
    const waiting = await message(null, 'stored', 100, 0);
    // Deployment-wide rows, one due and one not of each.
    const [oldKey, newKey] = [randomUUID(), randomUUID()];
    await client.query(
      `INSERT INTO idempotency_keys (key, request_hash, created_at) VALUES ($1, 'h', $2), ($3, 'h', $4)`,
      [oldKey, ago(31), newKey, ago(1)],
    );
    const { rows: outbox } = await client.query<{ id: string }>(
      `INSERT INTO outbox (queue, name, data, job_id, created_at, dispatched_at)
       VALUES ('mail', 'send-letter', '{}', 'a', $1, $1), ('mail', 'send-letter', '{}', 'b', $2, $2),
              ('mail', 'send-letter', '{}', 'c', $1, NULL)
       RETURNING id`,
      [ago(8), ago(1)],
    );
    const {
      rows: [user],
    } = await client.query<{ id: string }>(
      `INSERT INTO staff_users (email, name, role, password_hash) VALUES ($1, 'Staff', 'legal', 'x') RETURNING id`,
      [`staff-${randomUUID()}@example.org`],
    );
    const [oldSession, newSession] = [randomUUID(), randomUUID()];
    await client.query(
      `INSERT INTO staff_sessions (id, user_id, expires_at, last_seen_at) VALUES ($1, $3, $4, $4), ($2, $3, $5, $5)`,
      [oldSession, newSession, user.id, ago(31), ago(1)],
    );
    const [oldAttempt, newAttempt] = [`address:${randomUUID()}`, `address:${randomUUID()}`];
    await client.query(
      `INSERT INTO login_attempts (key, failures, next_allowed_at, updated_at) VALUES ($1, 3, $3, $3), ($2, 3, $4, $4)`,
      [oldAttempt, newAttempt, ago(31), ago(1)],
    );

    const plan = await retention.plan(new Date());
    expect(plan.dryRun).toBe(true);
    expect(plan.counts).toEqual({
      rawMail: 4, // monthsAgo, yearsAgo, releasedHold, quarantinedLongAgo
      evidenceFiles: 4, // 2 + 1 + 0 + 1
      partyData: 2, // yearsAgo, releasedHold
      idempotencyKeys: 1,
      outbox: 1,
      finishedJobs: 0,
      sessions: 1,
      loginAttempts: 1,
    });
    expect(plan.cases).toEqual([
      { reference: yearsAgo.reference, rawMail: 1, evidenceFiles: 1, partyData: true },
      { reference: releasedHold.reference, rawMail: 1, evidenceFiles: 0, partyData: true },
      { reference: monthsAgo.reference, rawMail: 1, evidenceFiles: 2, partyData: false },
    ]);
    expect(plan.held).toEqual([{ reference: held.reference, kind: 'preservation' }]);
    // The dry run changed nothing.
    expect(await mail(monthsAgo.messageId)).toMatchObject({ removed: false, files: 2 });
    expect(await exists('outbox', 'id', outbox[0].id)).toBe(true);
    expect(erasure.calls).toEqual([]);

    // The command line's dry run says the same.
    const dry = await cli(['--dry-run']);
    expect(dry.report.dryRun).toBe(true);
    expect(outcome(dry.report)).toEqual(outcome(plan));

    const applied = await retention.apply(new Date(), 'system');
    expect(applied).toMatchObject({ dryRun: false, ran: true });
    expect(outcome(applied)).toEqual(outcome(plan));

    // Mail of closed cases past 90 days: raw emptied (the row stays), attachments deleted; parties kept.
    expect(await mail(monthsAgo.messageId)).toEqual({ raw: 0, removed: true, files: 0 });
    expect(await party(monthsAgo.id)).toEqual({ name: 'Jane Roe', erased: false });
    // Past 3 years: the parties too, through ErasureService, once each.
    for (const c of [yearsAgo, releasedHold]) {
      expect(await mail(c.messageId)).toEqual({ raw: 0, removed: true, files: 0 });
      expect(await party(c.id)).toEqual({ name: null, erased: true });
    }
    expect(erasure.calls.map((c) => c.caseId).sort()).toEqual([yearsAgo.id, releasedHold.id].sort());
    expect(erasure.calls.every((c) => c.actor === 'system')).toBe(true);
    // The held case keeps everything; so do cases not closed long enough, or reopened.
    for (const c of [held, recent, reopened]) {
      expect(await mail(c.messageId)).toMatchObject({ removed: false });
      expect((await mail(c.messageId)).raw).toBeGreaterThan(0);
      expect(await party(c.id)).toEqual({ name: 'Jane Roe', erased: false });
      expect(await retentionEvents(c.id)).toEqual([]);
    }
    expect(await mail(held.messageId)).toMatchObject({ files: 2 });
    // Mail with no case: only the one quarantined long ago.
    expect(await mail(quarantinedLongAgo)).toEqual({ raw: 0, removed: true, files: 0 });
    expect(await mail(quarantinedLately)).toMatchObject({ removed: false });
    expect(await mail(waiting)).toMatchObject({ removed: false });
    // Deployment-wide rows past their time, and no others.
    expect([await exists('idempotency_keys', 'key', oldKey), await exists('idempotency_keys', 'key', newKey)]).toEqual([
      false,
      true,
    ]);
    expect(await Promise.all(outbox.map((o) => exists('outbox', 'id', o.id)))).toEqual([false, true, true]);
    expect([
      await exists('staff_sessions', 'id', oldSession),
      await exists('staff_sessions', 'id', newSession),
    ]).toEqual([false, true]);
    expect([
      await exists('login_attempts', 'key', oldAttempt),
      await exists('login_attempts', 'key', newAttempt),
    ]).toEqual([false, true]);

    // Audited by count: one event per case, naming the run, whose row holds the deployment-wide counts.
    const {
      rows: [run],
    } = await client.query(`SELECT id, actor, counts FROM retention_runs`);
    expect(run).toEqual({ id: expect.any(String), actor: 'system', counts: { ...plan.counts, failedCases: 0 } });
    expect(await retentionEvents(monthsAgo.id)).toEqual([
      { actor: 'system', detail: { run: run.id, rawMail: 1, evidenceFiles: 2, partyValues: null } },
    ]);
    expect(await retentionEvents(yearsAgo.id)).toEqual([
      { actor: 'system', detail: { run: run.id, rawMail: 1, evidenceFiles: 1, partyValues: 4 } },
    ]);
    expect(await retentionEvents(releasedHold.id)).toEqual([
      { actor: 'system', detail: { run: run.id, rawMail: 1, evidenceFiles: 0, partyValues: 4 } },
    ]);

    // A second run finds nothing left, and says the held case is still held.
    const again = await retention.apply(new Date(), 'system');
    expect(again.counts).toEqual({
      rawMail: 0,
      evidenceFiles: 0,
      partyData: 0,
      idempotencyKeys: 0,
      outbox: 0,
      finishedJobs: 0,
      sessions: 0,
      loginAttempts: 0,
    });
    expect(again.cases).toEqual([]);
    expect(again.held).toEqual([{ reference: held.reference, kind: 'preservation' }]);
    expect(await retentionEvents(monthsAgo.id)).toHaveLength(1);
    expect(erasure.calls).toHaveLength(2);

    // So does the command line's real run, which is recorded under its user.
    const real = await cli([]);
    expect(real.report).toMatchObject({ dryRun: false, ran: true, cases: [], counts: again.counts });
    const { rows: runs } = await client.query(`SELECT actor FROM retention_runs ORDER BY finished_at`);
    expect(runs.map((r) => r.actor)).toEqual(['system', 'system', expect.stringMatching(/^cli:/)]);
  });

  it('does nothing while another run holds the lock', async () => {
    const lock = new Client({ connectionString: DATABASE_URL });
    await lock.connect();
    try {
      await lock.query('BEGIN');
      await lock.query(`SELECT pg_advisory_xact_lock(hashtextextended('takedown-desk:retention', 0))`);
      const { rows: before } = await client.query(`SELECT count(*)::int AS n FROM retention_runs`);
      const skipped = await retention.apply(new Date(), 'system');
      expect(skipped.ran).toBe(false);
      const { rows: after } = await client.query(`SELECT count(*)::int AS n FROM retention_runs`);
      expect(after[0].n).toBe(before[0].n);
    } finally {
      await lock.query('ROLLBACK');
      await lock.end();
    }
    expect((await retention.apply(new Date(), 'system')).ran).toBe(true);
  });

  it('removes finished jobs from every queue once they are RETAIN_DISPATCHED_DAYS old', async () => {
    const connection = redisOptionsFromUrl(TEST_REDIS_URL);
    const queue = new Queue(QueueName.Mail, { prefix, connection });
    const worker = new Worker(
      QueueName.Mail,
      (job) => (job.data.fail ? Promise.reject(new Error('refused')) : Promise.resolve()),
      { prefix, connection },
    );
    try {
      await queue.add(JobName.SendLetter, { fail: false }, { jobId: 'retention-done' });
      await queue.add(JobName.SendLetter, { fail: true }, { jobId: 'retention-failed', attempts: 1 });
      await waitFor('both jobs to finish', async () => {
        const c = await queue.getJobCounts('completed', 'failed');
        return c.completed === 1 && c.failed === 1;
      });
      // Finished just now: not due yet. Seen from eight days on (RETAIN_DISPATCHED_DAYS is 7): both.
      expect((await retention.plan(new Date())).counts.finishedJobs).toBe(0);
      const later = new Date(Date.now() + 8 * DAY);
      expect((await retention.plan(later)).counts.finishedJobs).toBe(2);
      expect((await retention.apply(later, 'system')).counts.finishedJobs).toBe(2);
      expect(await queue.getJobCounts('completed', 'failed')).toEqual({ completed: 0, failed: 0 });
    } finally {
      await worker.close();
      await queue.close();
    }
  });

  it("is scheduled nightly on the worker, whose job runs it as 'system'", async () => {
    const worker = await startWorker({ DATABASE_URL, QUEUE_PREFIX: prefix, RETENTION_CRON: '30 3 * * *' });
    const queue = new Queue(QueueName.Privacy, { prefix, connection: redisOptionsFromUrl(TEST_REDIS_URL) });
    try {
      const scheduler = await waitFor('the retention schedule', () => queue.getJobScheduler(RETENTION_SCHEDULER_ID));
      expect(scheduler).toMatchObject({ pattern: '30 3 * * *', tz: 'UTC', name: JobName.ApplyRetention });
      const { rows: before } = await client.query(
        `SELECT count(*)::int AS n FROM retention_runs WHERE actor = 'system'`,
      );
      await queue.add(JobName.ApplyRetention, {}, { jobId: 'retention-now' });
      await waitFor('the worker to run retention', async () => {
        const { rows } = await client.query(`SELECT count(*)::int AS n FROM retention_runs WHERE actor = 'system'`);
        return rows[0].n > before[0].n;
      });
    } finally {
      await queue.close();
      await worker.close();
    }
  });

  it("shows admins the last run's counts on the admin page", async () => {
    const api = await startApi({ DATABASE_URL, QUEUE_PREFIX: prefix });
    try {
      const { rows } = await client.query(`SELECT counts FROM retention_runs ORDER BY finished_at DESC LIMIT 1`);
      const admin = await createStaff(client, 'admin');
      const legal = await createStaff(client, 'legal');
      const page = async (staff: typeof admin) =>
        (await fetch(`${api.url}/staff/admin`, { headers: { cookie: await signIn(api.url, staff) } })).text();
      const html = await page(admin);
      expect(html).toContain('<h2 id="h-retention">Retention</h2>');
      expect(html).toContain('<code>30 3 * * *</code>');
      expect(html).toMatch(
        new RegExp(`<td>Raw emails emptied</td><td class="num">${rows[0].counts.rawMail as number}</td>`),
      );
      expect(await page(legal)).not.toContain('h-retention');
    } finally {
      await api.close();
    }
  });
});
