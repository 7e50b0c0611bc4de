import 'reflect-metadata';
import type { TestingModule } from '@nestjs/testing';
import { randomBytes } from 'node:crypto';
import type { Client } from 'pg';
import { type CliOutput, runCli } from '../src/cli';
import { TEST_REDIS_URL } from './support/env';
import { completeNotice } from './support/factories';
import {
  auditTrail,
  auditTrailWithTexts,
  db,
  drain,
  fileRoutedCase,
  type RunningApi,
  startApi,
  startMailWorker,
  uniqueId,
  uniquePrefix,
  waitFor,
} from './support/harness';
import { compose, deficientNoticeText, freePort, MISSING_STATEMENTS, sendRaw } from './support/mail-fixtures';
import { type CapturedMail, SmtpSink } from './support/smtp-sink';
import { createStaff, type StaffFixture } from './support/staff';

jest.setTimeout(90_000);

const INTAKE = 'dmca@example.com';
const SENDER = 'legal@pixelforge.test';
const UPLOADER = 'uploader@site-user.test';

/**
 * Every writer of a case's status goes through the one door (CaseTransitionsService): a system move the workflow
 * refuses is refused and said so in the audit log, one it allows is written with its actor and reason. Real SMTP in
 * and out, the real worker and API, Postgres and Redis.
 */
describe('the status door, for writers other than staff', () => {
  const prefix = uniquePrefix();
  let client: Client;
  let worker: TestingModule;
  let api: RunningApi;
  let sink: SmtpSink;
  let port: number;
  let legal: StaffFixture;

  beforeAll(async () => {
    client = await db();
    sink = await new SmtpSink().start();
    port = await freePort();
    const env = {
      QUEUE_PREFIX: prefix,
      SMTP_LISTEN_PORT: String(port),
      SMTP_LISTEN_HOST: '127.0.0.1',
      INBOUND_ADDRESSES: INTAKE,
      MAIL_FROM: INTAKE,
      SMTP_URL: sink.url,
    };
    worker = await startMailWorker(env);
    api = await startApi(env);
    legal = await createStaff(client, 'legal');
  });

  afterAll(async () => {
    await worker?.close();
    await api?.close();
    await sink?.stop();
    await client?.end();
  });

  const staff = async (method: string, path: string, body?: unknown): Promise<{ status: number; body: any }> => {
    const res = await fetch(`${api.url}/api/v1/staff${path}`, {
      method,
      headers: { authorization: `Bearer ${legal.token}`, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) : undefined };
  };
  const messageId = (): string => `<${randomBytes(8).toString('hex')}@mail.test>`;
  const caseRow = async (caseId: string) =>
    (await client.query(`SELECT status, checklist, acknowledged_at, routed_at FROM cases WHERE id = $1`, [caseId]))
      .rows[0];
  /** The stored message with this Message-ID, once the worker has settled it. */
  const settled = (id: string) =>
    waitFor(`message ${id} to be settled`, async () => {
      const { rows } = await client.query(
        `SELECT status, reason, case_id, notice_id FROM inbound_messages WHERE message_id = $1`,
        [id],
      );
      return rows[0]?.status !== undefined && rows[0].status !== 'stored' ? rows[0] : undefined;
    });
  /** The case's moves and refused moves, their reasons read from case_texts. */
  const statusEvents = async (caseId: string) =>
    (await auditTrailWithTexts(client, caseId)).filter((e) => e.action.startsWith('case.transition'));

  describe('a counter-notice', () => {
    /** A routed case staff moved to `to`, and a letter to its uploader for the counter-notice to answer. */
    const caseWithUploaderLetter = async (to: 'withdrawn' | 'closed') => {
      const { caseId, reference } = await fileRoutedCase(
        api,
        client,
        prefix,
        completeNotice([`https://example.com/d/${uniqueId()}`]),
      );
      // Nothing of ours matched: the router left it for a person.
      expect((await caseRow(caseId)).status).toBe('in_review');
      const moved = await staff('POST', `/cases/${reference}/transitions`, {
        to,
        reason: to === 'withdrawn' ? 'The sender withdrew the notice' : undefined,
      });
      expect(moved).toMatchObject({ status: 201, body: { status: to } });
      const letterId = `<uploader.${uniqueId()}@example.com>`;
      await client.query(
        `INSERT INTO letters (case_id, kind, dedupe_key, recipient, subject, text, html, message_id, status)
         VALUES ($1, 'uploader', $2, $3, 'Material removed', 'Reply to this email', '', $4, 'sent')`,
        [caseId, `${caseId}:uploader:test`, UPLOADER, letterId],
      );
      return { caseId, reference, letterId };
    };

    const sendCounterNotice = async (letterId: string) => {
      const id = messageId();
      const raw = await compose({
        from: `Up Loader <${UPLOADER}>`,
        to: INTAKE,
        subject: 'Re: Material removed',
        messageId: id,
        inReplyTo: letterId,
        references: [letterId],
        text: [
          'The material removed was my own work.',
          'I swear, under penalty of perjury, that I have a good faith belief that the material was removed as a result of mistake or misidentification.',
          'I consent to the jurisdiction of the federal district court for my address.',
          'Up Loader, 1 Main St, Springfield, +1 555 000 1111',
          '/s/ Up Loader',
        ].join('\n'),
      });
      expect(await sendRaw(port, raw, { from: UPLOADER, to: [INTAKE] })).toMatch(/^250/);
      const row = await settled(id);
      await drain(client, TEST_REDIS_URL, prefix);
      return row;
    };

    it('on a withdrawn case is kept and flagged for staff, and does not reopen the case', async () => {
      const { caseId, letterId } = await caseWithUploaderLetter('withdrawn');
      const row = await sendCounterNotice(letterId);
      expect(row).toMatchObject({ status: 'parsed', case_id: caseId, reason: 'flagged: counter_notice' });
      const notice = (await client.query(`SELECT flags FROM notices WHERE id = $1`, [row.notice_id])).rows[0];
      expect(notice.flags).toEqual(['counter_notice']);

      expect((await caseRow(caseId)).status).toBe('withdrawn');
      const events = await statusEvents(caseId);
      expect(events.map((e) => [e.actor, e.action, e.detail])).toEqual([
        ['worker', 'case.transitioned', { from: 'received', to: 'in_review', reasonText: null }],
        [
          legal.id,
          'case.transitioned',
          { from: 'in_review', to: 'withdrawn', reasonText: 'The sender withdrew the notice' },
        ],
        [
          'sender',
          'case.transition_refused',
          {
            from: 'withdrawn',
            to: 'in_review',
            reasonText: 'counter-notice received',
            refusal: expect.stringMatching(/cannot go from withdrawn to in_review/),
          },
        ],
      ]);
      const trail = await auditTrail(client, caseId);
      expect(trail.find((e) => e.action === 'notice.counter_notice')).toMatchObject({
        actor: 'sender',
        detail: { flags: ['counter_notice'], caseStatus: 'withdrawn' },
      });
    });

    it('on a closed case reopens it for review, restarts the service level and says why', async () => {
      const { caseId, letterId } = await caseWithUploaderLetter('closed');
      expect((await caseRow(caseId)).acknowledged_at).not.toBeNull();
      const row = await sendCounterNotice(letterId);
      expect(row).toMatchObject({ status: 'parsed', case_id: caseId, reason: 'flagged: counter_notice' });

      const kase = await caseRow(caseId);
      expect(kase.status).toBe('in_review');
      // The clock starts over: no staff member has acted on the reopened case yet.
      expect(kase.acknowledged_at).toBeNull();
      const events = await statusEvents(caseId);
      expect(events.at(-1)).toEqual({
        actor: 'sender',
        action: 'case.transitioned',
        detail: { from: 'closed', to: 'in_review', reasonText: 'counter-notice received' },
      });
    });
  });

  it("refuses the command line's approval of an incomplete notice exactly as the API does", async () => {
    const { caseId, reference } = await fileRoutedCase(
      api,
      client,
      prefix,
      completeNotice([`https://example.com/d/${uniqueId()}`], { perjury: false, signature: undefined }),
    );
    expect((await caseRow(caseId)).status).toBe('needs_info');
    // Staff look at it anyway: in review, and still incomplete.
    expect(await staff('POST', `/cases/${reference}/transitions`, { to: 'in_review' })).toMatchObject({
      status: 201,
    });
    const before = await auditTrail(client, caseId);

    const api409 = await staff('POST', `/cases/${reference}/approve`, {});
    expect(api409.status).toBe(409);
    expect(api409.body.message).toMatch(/still lacks: .*perjury/);

    const out: string[] = [];
    const err: string[] = [];
    const io: CliOutput = { out: (l) => out.push(l), err: (l) => err.push(l) };
    const code = await runCli(['approve-takedowns', reference], io);
    expect({ code, out: out.join(''), err: err.join('') }).toEqual({
      code: 2,
      out: '',
      err: `Refused: ${api409.body.message}\n`,
    });

    expect((await caseRow(caseId)).status).toBe('in_review');
    expect(await auditTrail(client, caseId)).toEqual(before);
  });

  it('brings a rejected case back to staff when the sender replies to the rejection', async () => {
    const letterTo = (subject: RegExp): Promise<CapturedMail> =>
      waitFor(`a letter to ${SENDER} matching ${subject}`, () =>
        Promise.resolve(sink.to(SENDER).find((m) => subject.test(m.parsed.subject ?? ''))),
      );
    const notice = messageId();
    const raw = await compose({
      from: `Pat Smith <${SENDER}>`,
      to: INTAKE,
      subject: `Copyright infringement ${uniqueId()}`,
      messageId: notice,
      text: deficientNoticeText(`https://example.com/d/${uniqueId()}`),
    });
    expect(await sendRaw(port, raw, { from: SENDER, to: [INTAKE] })).toMatch(/^250/);
    const { case_id: caseId } = await settled(notice);
    await drain(client, TEST_REDIS_URL, prefix);
    const { reference } = (await client.query(`SELECT reference FROM cases WHERE id = $1`, [caseId])).rows[0];
    expect((await caseRow(caseId)).status).toBe('needs_info');

    const rejected = await staff('POST', `/cases/${reference}/reject`, {
      reason: 'The notice is not signed and has no statement under penalty of perjury.',
    });
    expect(rejected).toMatchObject({ status: 200, body: { status: 'rejected' } });
    const rejection = await letterTo(new RegExp(`\\[${reference}\\] We will not act`));

    const id = messageId();
    const reply = await compose({
      from: `Pat Smith <${SENDER}>`,
      to: INTAKE,
      subject: `Re: ${rejection.parsed.subject}`,
      messageId: id,
      inReplyTo: rejection.parsed.messageId,
      references: [rejection.parsed.messageId ?? ''],
      text: `${MISSING_STATEMENTS}\n`,
    });
    expect(await sendRaw(port, reply, { from: SENDER, to: [INTAKE] })).toMatch(/^250/);
    expect(await settled(id)).toMatchObject({ status: 'parsed', case_id: caseId, reason: null });
    await drain(client, TEST_REDIS_URL, prefix);

    const kase = await caseRow(caseId);
    expect(kase.checklist.complete).toBe(true);
    // Back in the open queue, waiting on staff, with its service-level clock started again.
    expect(kase.status).toBe('in_review');
    expect(kase.acknowledged_at).toBeNull();
    expect((await statusEvents(caseId)).at(-1)).toEqual({
      actor: 'sender',
      action: 'case.transitioned',
      detail: { from: 'rejected', to: 'in_review', reasonText: 'the sender replied to the rejection' },
    });
    const queue = await staff('GET', `/cases?status=in_review&q=${reference}`);
    expect(queue.body.items.map((c: { reference: string }) => c.reference)).toEqual([reference]);
    // Staff rejected it once: the reply does not take anything down by itself.
    expect(
      (await client.query(`SELECT count(*)::int AS n FROM takedowns WHERE case_id = $1`, [caseId])).rows[0].n,
    ).toBe(0);
  });
});
