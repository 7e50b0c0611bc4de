import 'reflect-metadata';
import type { TestingModule } from '@nestjs/testing';
import { Test } from '@nestjs/testing';
import type { DNSResolver } from 'mailauth';
import { randomBytes } from 'node:crypto';
import type { Client } from 'pg';
import { DataSource } from 'typeorm';
import { MAIL_DNS_RESOLVER } from '../src/email-intake/sender-auth.service';
import { LetterSenderService } from '../src/letters/letter-sender.service';
import { LetterKind } from '../src/letters/letter.entity';
import { LettersService, NO_RECIPIENT } from '../src/letters/letters.service';
import { recipientKey, VERIFIED_SENDER_SQL } from '../src/letters/recipient-cap';
import { PersonalData } from '../src/core/privacy/personal-data.service';
import { WorkerModule } from '../src/worker.module';
import { isolatedDatabase, isolatedDatabaseUrl } from './support/database';
import { applyTestEnv, TEST_REDIS_URL } from './support/env';
import { completeNoticeFrom, postJson } from './support/factories';
import { drain, type RunningApi, startApi, uniqueId, uniquePrefix, waitFor } from './support/harness';
import { compose, completeNoticeText, fakeResolver, freePort, sendRaw } from './support/mail-fixtures';
import { openedRows } from './support/sealed';
import { SmtpSink } from './support/smtp-sink';
import { createStaff, signIn, type StaffFixture } from './support/staff';

jest.setTimeout(180_000);

/** Its own database: this file's workers relay and send every letter of it, and no other file's worker may. */
const DATABASE_URL = isolatedDatabaseUrl('lettercap');
const CAP = 5;
/** Small, so that the test sees held letters released; long enough that 20 routings fall inside one window. */
const WINDOW_MINUTES = 0.3;
const INTAKE = 'dmca@example.com';
/** The most letters one digest carries (letter-sender.service.ts): a flood goes out in several. */
const DIGEST_MAX = 50;
/** A sender domain whose DNS lets 127.0.0.1 send for it (SPF) and publishes DMARC: its mail passes DMARC. */
const PASS_DOMAIN = 'verified-sender.test';

const resolver: DNSResolver = (name, rrtype) => {
  const zone: Record<string, string[][]> = {
    [`TXT ${PASS_DOMAIN}`]: [['v=spf1 ip4:127.0.0.1 ip6:::ffff:127.0.0.1 -all']],
    [`TXT _dmarc.${PASS_DOMAIN}`]: [['v=DMARC1; p=reject']],
  };
  const answer = zone[`${rrtype} ${name.toLowerCase()}`];
  return answer ? Promise.resolve(answer) : fakeResolver(name, rrtype);
};

async function startResolvingWorker(env: Record<string, string>): Promise<TestingModule> {
  applyTestEnv(env);
  const worker = await Test.createTestingModule({ imports: [WorkerModule] })
    .overrideProvider(MAIL_DNS_RESOLVER)
    .useValue(resolver)
    .compile();
  worker.useLogger(process.env.TEST_LOG ? ['error', 'warn', 'log'] : ['error']);
  await worker.init();
  return worker;
}

interface LetterRow {
  id: string;
  recipient: string;
  case_id: string;
  kind: string;
  status: string;
  held_until: Date | null;
  sent_at: Date | null;
  reference: string;
  subject: string;
}

describe('the letter cap per recipient: a stranger cannot make us mail a third party without limit', () => {
  const prefix = uniquePrefix();
  const sink = new SmtpSink();
  let client: Client;
  let api: RunningApi;
  let mailWorker: TestingModule;
  let worker: TestingModule;
  let admin: StaffFixture;
  let port: number;

  beforeAll(async () => {
    client = await isolatedDatabase('lettercap');
    await sink.start();
    port = await freePort();
    const env = {
      DATABASE_URL,
      QUEUE_PREFIX: prefix,
      SMTP_URL: sink.url,
      LETTER_CAP_PER_RECIPIENT: String(CAP),
      LETTER_CAP_WINDOW_MINUTES: String(WINDOW_MINUTES),
      SMTP_LISTEN_PORT: String(port),
      SMTP_LISTEN_HOST: '127.0.0.1',
      INBOUND_ADDRESSES: INTAKE,
    };
    api = await startApi(env);
    // Two workers, as in production, so that the count is shared between processes; one has the SMTP listener.
    // Both parse inbound mail, so both read DNS from the zone above.
    mailWorker = await startResolvingWorker(env);
    worker = await startResolvingWorker({ ...env, SMTP_LISTEN_PORT: '0' });
    admin = await createStaff(client, 'admin');
  });

  afterAll(async () => {
    await worker?.close();
    await mailWorker?.close();
    await api?.close();
    await sink.stop();
    await client?.end();
  });

  /** The keyed hash the app finds an address by (recipients and senders are sealed). */
  const hashEmail = (address: string): string => worker.get(PersonalData, { strict: false }).hashEmail(address);
  /** letters.recipient_key: the keyed hash of the address's mailbox (recipientKey). */
  const mailboxOf = (address: string): string => hashEmail(recipientKey(address));

  /** The letters to exactly this address (found by its mailbox, then told apart by the opened address). */
  const lettersTo = async (address: string): Promise<LetterRow[]> =>
    (
      await openedRows(
        client,
        (
          await client.query<LetterRow>(
            `SELECT l.id, l.recipient, l.case_id, l.kind, l.status, l.held_until, l.sent_at, l.subject, c.reference
             FROM letters l JOIN cases c ON c.id = l.case_id WHERE l.recipient_key = $1
             ORDER BY l.created_at, l.id`,
            [mailboxOf(address)],
          )
        ).rows,
        ['recipient', 'subject'],
      )
    ).filter((l) => l.recipient?.toLowerCase() === address.toLowerCase());

  const lettersById = async (ids: string[]): Promise<LetterRow[]> =>
    openedRows(
      client,
      (
        await client.query<LetterRow>(
          `SELECT l.id, l.recipient, l.case_id, l.kind, l.status, l.held_until, l.sent_at, l.subject, c.reference
           FROM letters l JOIN cases c ON c.id = l.case_id WHERE l.id = ANY($1) ORDER BY l.created_at, l.id`,
          [ids],
        )
      ).rows,
      ['recipient', 'subject'],
    );

  const allSent = (ids: string[]): Promise<LetterRow[]> =>
    waitFor(
      `${ids.length} letters to be sent`,
      async () => {
        const rows = await lettersById(ids);
        return rows.every((l) => l.status === 'sent') ? rows : undefined;
      },
      WINDOW_MINUTES * 60_000 + 60_000,
    );

  /** A case of its own, filed by an address of its own, to record letters on. */
  const aCase = async (): Promise<{ id: string; reference: string; statusToken: string }> => {
    const res = await postJson(
      api.url,
      '/api/v1/notices',
      completeNoticeFrom(`owner-${uniqueId()}@example.org`, [
        `https://files.unlisted-host-${uniqueId()}.example/f.zip`,
      ]),
    );
    expect(res.status).toBe(201);
    const { rows } = await client.query<{ id: string; reference: string; statusToken: string }>(
      `SELECT id, reference, status_token AS "statusToken" FROM cases WHERE id = $1`,
      [res.body.caseId],
    );
    return rows[0];
  };

  /**
   * Records a receipt-like letter to each of `recipients` on `kase`, in order, in one transaction, through the real
   * service (cap included). `holdHeldJobs` marks the send jobs of the letters the cap held as relayed, so that only
   * the test sends those.
   */
  const recordLetters = async (
    kase: { id: string; reference: string; statusToken: string },
    recipients: string[],
    { holdHeldJobs = false } = {},
  ): Promise<string[]> => {
    const letters = worker.get(LettersService, { strict: false });
    return worker.get(DataSource).transaction(async (m) => {
      const ids: string[] = [];
      for (const to of recipients) {
        const id = await letters.record(m, kase, LetterKind.Receipt, `cap-${uniqueId()}`, to, {
          kind: 'takedown',
          complete: true,
          missing: [],
        });
        if (!id) throw new Error('the letter was not recorded');
        ids.push(id);
      }
      if (holdHeldJobs) {
        await m.query(
          `UPDATE outbox SET dispatched_at = now() WHERE data->>'letterId' IN (
             SELECT id::text FROM letters WHERE id = ANY($1) AND held_until IS NOT NULL)`,
          [ids],
        );
      }
      return ids;
    });
  };

  /** The letter.sent events of `ids`, by the digest they went in (null: sent as itself). */
  const sentIn = async (ids: string[]): Promise<Map<string | null, string[]>> => {
    const { rows } = await client.query<{ letter: string; digest: string | null }>(
      `SELECT detail->>'letter' AS letter, detail->'digest'->>'messageId' AS digest FROM audit_events
       WHERE action = 'letter.sent' AND detail->>'letter' = ANY($1)`,
      [ids],
    );
    const by = new Map<string | null, string[]>();
    for (const r of rows) by.set(r.digest, [...(by.get(r.digest) ?? []), r.letter]);
    return by;
  };

  /** Every case of `address` routed, and each of its letters sent or held: what the first window ends with. */
  const settledLetters = (address: string, cases: number): Promise<LetterRow[]> =>
    waitFor(`the letters of ${cases} cases to ${address} to be sent or held`, async () => {
      const letters = await lettersTo(address);
      const { rows } = await client.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM cases c WHERE c.routed_at IS NOT NULL AND c.id = ANY($1)`,
        [[...new Set(letters.map((l) => l.case_id))]],
      );
      if (rows[0].n < cases) return undefined;
      return letters.every((l) => l.status === 'sent' || l.held_until !== null) ? letters : undefined;
    });

  const fileNotices = async (address: string, n: number, headers: Record<string, string> = {}): Promise<void> => {
    const answers = await Promise.all(
      Array.from({ length: n }, () =>
        postJson(
          api.url,
          '/api/v1/notices',
          completeNoticeFrom(address, [`https://files.unlisted-host-${uniqueId()}.example/f.zip`]),
          headers,
        ),
      ),
    );
    expect(answers.map((a) => a.status)).toEqual(answers.map(() => 201));
  };

  it('sends at most the cap to an address that filed 20 anonymous notices, and the rest together when the window ends', async () => {
    const victim = `victim-${uniqueId()}@example.net`;
    await fileNotices(victim, 20);

    const first = await settledLetters(victim, 20);
    const sentNow = first.filter((l) => l.status === 'sent');
    const held = first.filter((l) => l.status !== 'sent');
    expect(first.length).toBeGreaterThanOrEqual(20);
    expect(sentNow).toHaveLength(CAP);
    expect(sentNow.every((l) => l.held_until === null)).toBe(true);
    expect(held).toHaveLength(first.length - CAP);
    expect(held.every((l) => l.status === 'queued')).toBe(true);
    // Held until the window ends: one release time for them all, still ahead.
    const releases = new Set(held.map((l) => l.held_until!.toISOString()));
    expect(releases.size).toBe(1);
    const release = held[0].held_until!;
    expect(release.getTime()).toBeGreaterThan(Date.now());
    expect(sink.to(victim)).toHaveLength(CAP);

    // Staff see why: the case detail shows the letter held with its release time, the audit log says so too.
    const example = held[0];
    const detail = await fetch(`${api.url}/api/v1/staff/cases/${example.reference}`, {
      headers: { authorization: `Bearer ${admin.token}` },
    });
    expect(detail.status).toBe(200);
    const body = (await detail.json()) as { letters: { id: string; status: string; heldUntil: string | null }[] };
    const shown = body.letters.find((l) => l.id === example.id);
    expect(shown).toMatchObject({ status: 'queued', heldUntil: release.toISOString() });
    const { rows: events } = await client.query<{ detail: Record<string, unknown> }>(
      `SELECT detail FROM audit_events WHERE case_id = $1 AND action = 'letter.held'`,
      [example.case_id],
    );
    expect(events).toHaveLength(1);
    expect(events[0].detail).toMatchObject({ letter: example.id, until: release.toISOString(), cap: CAP });
    const cookie = await signIn(api.url, admin);
    const page = await (await fetch(`${api.url}/staff/cases/${example.reference}`, { headers: { cookie } })).text();
    expect(page).toMatch(/held/i);
    expect(page).toContain('per-recipient cap');

    // The window ends: the held letters go out once, together, as one digest.
    const after = await waitFor(
      'the held letters to be sent',
      async () => {
        const rows = await lettersTo(victim);
        return rows.every((l) => l.status === 'sent') ? rows : undefined;
      },
      WINDOW_MINUTES * 60_000 + 60_000,
    );
    await drain(client, TEST_REDIS_URL, prefix, 60_000);
    const mails = sink.to(victim);
    expect(mails).toHaveLength(CAP + 1);
    const digest = mails[CAP];
    for (const l of held) {
      expect(digest.parsed.text).toContain(l.reference);
      expect(digest.parsed.text).toContain(l.subject);
    }
    expect(digest.parsed.subject).toContain(String(held.length));
    const releasedAt = after.filter((l) => held.some((h) => h.id === l.id)).map((l) => l.sent_at!.getTime());
    expect(Math.min(...releasedAt)).toBeGreaterThanOrEqual(release.getTime());
    expect(new Set(releasedAt).size).toBe(1);
    const { rows: sentEvents } = await client.query<{ detail: Record<string, unknown> }>(
      `SELECT detail FROM audit_events WHERE case_id = $1 AND action = 'letter.sent'`,
      [example.case_id],
    );
    expect(sentEvents).toHaveLength(1);
    expect(sentEvents[0].detail).toMatchObject({ letter: example.id, digest: { letters: held.length } });
  });

  it('does not cap a sender that filed with an agency key', async () => {
    const created = await postJson(
      api.url,
      '/api/v1/staff/agencies',
      { name: `Agency ${uniqueId()}`, contactEmail: 'notices@agency.example.org' },
      { authorization: `Bearer ${admin.token}` },
    );
    expect(created.status).toBe(201);
    const agent = `agent-${uniqueId()}@agency.example.org`;
    await fileNotices(agent, CAP + 3, { authorization: `Bearer ${created.body.key}` });

    const letters = await settledLetters(agent, CAP + 3);
    expect(letters.length).toBeGreaterThanOrEqual(CAP + 3);
    expect(letters.filter((l) => l.held_until !== null)).toEqual([]);
    expect(sink.to(agent)).toHaveLength(letters.length);
  });

  it('does not cap an address whose email notices passed DMARC', async () => {
    const sender = `rights-${uniqueId()}@${PASS_DOMAIN}`;
    const n = CAP + 3;
    for (let i = 0; i < n; i++) {
      const raw = await compose({
        from: `Jane Roe <${sender}>`,
        to: INTAKE,
        subject: `DMCA notice ${i}`,
        messageId: `<${randomBytes(8).toString('hex')}@${PASS_DOMAIN}>`,
        text: completeNoticeText(`https://files.unlisted-host-${uniqueId()}.example/f.zip`, 'Jane Roe', sender),
      });
      expect(await sendRaw(port, raw, { from: sender, to: [INTAKE] })).toMatch(/^250/);
    }
    const letters = await settledLetters(sender, n);
    const { rows: auth } = await client.query<{ dmarc: string }>(
      `SELECT auth->>'dmarc' AS dmarc FROM notices WHERE sender_email_hash = $1`,
      [hashEmail(sender)],
    );
    expect(auth).toHaveLength(n);
    expect(auth.map((a) => a.dmarc)).toEqual(auth.map(() => 'pass'));
    expect(letters.filter((l) => l.held_until !== null)).toEqual([]);
    expect(sink.to(sender)).toHaveLength(letters.length);
  });

  it('sends the held letters to one mailbox under several +tags as one digest, to one of its addresses', async () => {
    const local = `tagged-${uniqueId()}`;
    const addresses = Array.from({ length: CAP + 3 }, (_, i) => `${local}+${i + 1}@example.net`);
    const ids = await recordLetters(await aCase(), addresses);
    const recorded = await lettersById(ids);
    const held = recorded.filter((l) => l.held_until !== null);
    expect(held.map((l) => l.recipient)).toEqual(addresses.slice(CAP));

    await allSent(ids);
    const mails = sink.received.filter((m) => m.envelope.to.some((to) => to.startsWith(`${local}+`)));
    expect(mails).toHaveLength(CAP + 1);
    const digests = mails.filter((m) => m.parsed.subject?.includes('sent together'));
    expect(digests).toHaveLength(1);
    expect(digests[0].envelope.to).toHaveLength(1);
    expect(held.map((l) => l.recipient)).toContain(digests[0].envelope.to[0]);
    expect(digests[0].parsed.text).toContain(`3 of 3`);
    const sent = await sentIn(held.map((l) => l.id));
    expect([...sent.keys()]).toHaveLength(1);
  });

  it(`sends a flood of held letters in digests of at most ${DIGEST_MAX}, each letter in one`, async () => {
    const to = `flood-${uniqueId()}@example.net`;
    const ids = await recordLetters(await aCase(), Array<string>(CAP + DIGEST_MAX + 5).fill(to));
    await allSent(ids);
    const sent = await sentIn(ids);
    expect(sent.get(null)).toHaveLength(CAP);
    const digests = [...sent.entries()].filter(([digest]) => digest !== null).map(([, letters]) => letters);
    expect(digests.map((d) => d.length).sort((a, b) => a - b)).toEqual([5, DIGEST_MAX]);
    expect(new Set(digests.flat()).size).toBe(DIGEST_MAX + 5);
    expect(sink.to(to)).toHaveLength(CAP + 2);
  });

  it("fails only the lead letter when a digest's last try fails for now; the others stay queued for their own jobs", async () => {
    const to = `last-try-${uniqueId()}@example.net`;
    const ids = await recordLetters(await aCase(), Array<string>(CAP + 3).fill(to), { holdHeldJobs: true });
    const held = ids.slice(CAP);
    await allSent(ids.slice(0, CAP));
    await client.query(`UPDATE letters SET held_until = now() - interval '1 second' WHERE id = ANY($1)`, [held]);
    const sender = worker.get(LetterSenderService, { strict: false });

    sink.mode = 'tempfail';
    try {
      expect(await sender.send(held[0], { lastTry: true })).toMatchObject({ outcome: 'failed' });
    } finally {
      sink.mode = 'accept';
    }
    const { rows } = await client.query<{ id: string; status: string; attempts: number; last_error: string | null }>(
      `SELECT id, status, attempts, last_error, claimed_until FROM letters WHERE id = ANY($1) ORDER BY created_at`,
      [held],
    );
    expect(rows[0]).toMatchObject({ id: held[0], status: 'failed', attempts: 1 });
    for (const other of rows.slice(1)) {
      expect(other).toMatchObject({ status: 'queued', attempts: 1, claimed_until: null });
      expect(other.last_error).toMatch(/451/);
    }

    // Another letter's own job takes the rest up: one digest of the two.
    expect(await sender.send(held[1])).toMatchObject({ outcome: 'sent' });
    expect((await lettersById(held.slice(1))).map((l) => l.status)).toEqual(['sent', 'sent']);
    expect(sink.to(to)).toHaveLength(CAP + 1);
  });

  it('keeps no address in the windows it counts by, and prunes windows long over', async () => {
    const stale = `stale-${uniqueId()}`;
    await client.query(`INSERT INTO letter_recipient_windows VALUES ($1, now() - interval '2 days', 3)`, [stale]);
    const to = `Private.Person+dmca-${uniqueId()}@Example.net`;
    const ids = await recordLetters(await aCase(), [to]);
    await allSent(ids);
    const { rows } = await client.query<{ row: string }>(
      `SELECT row_to_json(w)::text AS row FROM letter_recipient_windows w`,
    );
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.filter((r) => r.row.includes('@') || r.row.toLowerCase().includes('private.person'))).toEqual([]);
    const { rows: old } = await client.query(
      `SELECT 1 FROM letter_recipient_windows WHERE window_end < now() - interval '1 day'`,
    );
    expect(old).toEqual([]);
  });

  it('records a batch of letters as one by one: each counted, threaded and audited in turn, a repeated one once', async () => {
    const kase = await aCase();
    const local = `batch-${uniqueId()}`;
    const to = (tag: number): string => `${local}+${tag}@example.net`;
    const letters = worker.get(LettersService, { strict: false });
    const context = { kind: 'takedown', complete: true, missing: [] };
    const occasions = Array.from({ length: CAP + 2 }, (_, i) => `batch-${uniqueId()}-${i}`);
    const ids = await worker.get(DataSource).transaction(async (m) => {
      const recorded = await letters.recordMany(m, kase, [
        ...occasions.map((occasion, i) => ({ kind: LetterKind.Receipt, occasion, given: to(i), context })),
        // The first letter's occasion again, and a letter with no address: one recorded once, one failed.
        { kind: LetterKind.Receipt, occasion: occasions[0], given: to(99), context },
        { kind: LetterKind.Receipt, occasion: `batch-${uniqueId()}-none`, given: null, context },
      ]);
      // Only the test sends the held ones.
      await m.query(
        `UPDATE outbox SET dispatched_at = now() WHERE data->>'letterId' IN (
           SELECT id::text FROM letters WHERE id = ANY($1) AND held_until IS NOT NULL)`,
        [recorded.filter(Boolean)],
      );
      return recorded;
    });
    expect(ids[CAP + 2]).toBeUndefined();
    const sent = ids.slice(0, CAP + 2) as string[];
    expect(sent.every(Boolean)).toBe(true);
    const { rows } = await client.query<{
      id: string;
      message_id: string;
      in_reply_to: string | null;
      references: string[];
      held_until: Date | null;
      status: string;
    }>(
      `SELECT id, message_id, in_reply_to, "references", held_until, status FROM letters
       WHERE recipient_key = $1 ORDER BY created_at, id`,
      [mailboxOf(to(0))],
    );
    // One mailbox under several +tags: the first CAP go, the rest are held, in the batch's order.
    expect(rows.map((r) => r.id)).toEqual(sent);
    expect(rows.map((r) => r.held_until !== null)).toEqual(sent.map((_, i) => i >= CAP));
    // Each letter answers the one before it, and carries the chain.
    rows.forEach((r, i) => {
      expect(r.in_reply_to).toBe(i === 0 ? null : rows[i - 1].message_id);
      expect(r.references).toEqual(rows.slice(0, i).map((p) => p.message_id));
    });
    const none = ids[CAP + 3]!;
    const { rows: failed } = await client.query<{ status: string; last_error: string }>(
      `SELECT status, last_error FROM letters WHERE id = $1`,
      [none],
    );
    expect(failed).toEqual([{ status: 'failed', last_error: NO_RECIPIENT }]);
    // The audit log reads as if they had been recorded one after another: each letter.recorded, then its letter.held.
    const { rows: events } = await client.query<{ action: string; letter: string }>(
      `SELECT action, detail->>'letter' AS letter FROM audit_events
       WHERE case_id = $1 AND action IN ('letter.recorded', 'letter.held') AND detail->>'letter' = ANY($2)
       ORDER BY id`,
      [kase.id, [...sent, none]],
    );
    expect(events).toEqual([
      ...sent.flatMap((letter, i) => [
        { action: 'letter.recorded', letter },
        ...(i >= CAP ? [{ action: 'letter.held', letter }] : []),
      ]),
      { action: 'letter.recorded', letter: none },
    ]);
    const { rows: jobs } = await client.query<{ letter: string }>(
      `SELECT data->>'letterId' AS letter FROM outbox WHERE data->>'letterId' = ANY($1) ORDER BY id`,
      [[...sent, none]],
    );
    expect(jobs.map((j) => j.letter)).toEqual(sent);
  });

  it('asks whether an address is a verified sender through an index of verified senders alone', async () => {
    const flooded = `flooded-${uniqueId()}@example.net`;
    await fileNotices(flooded, 5);
    const [kase] = (
      await client.query<{ case_id: string }>(`SELECT case_id FROM notices WHERE sender_email_hash = $1 LIMIT 1`, [
        hashEmail(flooded),
      ])
    ).rows;
    expect(kase).toBeDefined();
    // However many notices name the address, the look-up reads none of them: the index holds verified senders only.
    await client.query('BEGIN');
    try {
      await client.query('SET LOCAL enable_seqscan = off');
      const { rows } = await client.query<{ 'QUERY PLAN': { Plan: PlanNode }[] }>(
        `EXPLAIN (ANALYZE, FORMAT JSON) ${VERIFIED_SENDER_SQL}`,
        [kase.case_id, [hashEmail(flooded.toUpperCase())]],
      );
      const nodes = flatten(rows[0]['QUERY PLAN'][0].Plan);
      expect(nodes.map((n) => n['Index Name'])).toContain('notices_verified_sender');
      // A bitmap scan names the index on one node and the table, with what its filter threw away, on its parent.
      const { rows: indexes } = await client.query<{ name: string }>(
        `SELECT indexname AS name FROM pg_indexes WHERE tablename = 'notices'`,
      );
      const onNotices = nodes.filter(
        (n) => n['Relation Name'] === 'notices' || indexes.some((i) => i.name === n['Index Name']),
      );
      const read = onNotices.reduce(
        (sum, n) => sum + (n['Rows Removed by Filter'] ?? 0) + (n['Rows Removed by Index Recheck'] ?? 0),
        0,
      );
      expect(read).toBe(0);
    } finally {
      await client.query('ROLLBACK');
    }
  });
});

interface PlanNode {
  'Relation Name'?: string;
  'Index Name'?: string;
  'Rows Removed by Filter'?: number;
  'Rows Removed by Index Recheck'?: number;
  Plans?: PlanNode[];
}

const flatten = (node: PlanNode): PlanNode[] => [node, ...(node.Plans ?? []).flatMap(flatten)];
