import { DataSource } from 'typeorm';
import 'reflect-metadata';
import type { INestApplicationContext } from '@nestjs/common';
import { Queue } from 'bullmq';
import { Client } from 'pg';
import { ELEMENT_LABELS, type ElementName } from '../src/checklist';
import { runCli } from '../src/cli';
import { JobName, QueueName } from '../src/core/queue/jobs';
import { redisOptionsFromUrl } from '../src/core/queue/redis-options';
import { LetterSenderService } from '../src/letters/letter-sender.service';
import { LetterKind } from '../src/letters/letter.entity';
import { LettersService } from '../src/letters/letters.service';
import { loadProviderRegistry } from '../src/links';
import { isolatedDatabase, isolatedDatabaseUrl } from './support/database';
import { TEST_REDIS_URL } from './support/env';
import { completeNotice, createCatalogPage, postJson } from './support/factories';
import { drain, type RunningApi, startApi, startWorker, uniqueId, uniquePrefix, waitFor } from './support/harness';
import { opened, openedRows } from './support/sealed';
import { SmtpSink } from './support/smtp-sink';

jest.setTimeout(90_000);

/**
 * A database of its own: every worker's outbox relay takes any undispatched row in its database, and a worker of
 * another test file (sending to no SMTP server at all) must not take this file's letters, nor this one theirs.
 */
const DATABASE_URL = isolatedDatabaseUrl('mailout');

interface LetterRow {
  id: string;
  kind: string;
  recipient: string;
  subject: string;
  status: string;
  message_id: string;
  in_reply_to: string | null;
  references: string[];
  attempts: number;
  last_error: string | null;
}

const COMPLAINANT = 'jane@rights-holder.example.org';
const PHONE = '+1 415 555 0199';

describe('outbound letters, through the worker to a real SMTP server', () => {
  const prefix = uniquePrefix();
  const sink = new SmtpSink();
  let env: Record<string, string>;
  let api: RunningApi;
  let workers: INestApplicationContext[] = [];
  let client: Client;

  beforeAll(async () => {
    client = await isolatedDatabase('mailout');
    await sink.start();
    env = { DATABASE_URL, QUEUE_PREFIX: prefix, SMTP_URL: sink.url, MAIL_FROM: 'dmca@example.com' };
    api = await startApi(env);
    // Two workers, as in production: each letter must still go out once.
    workers = [await startWorker(env), await startWorker(env)];
  });

  afterEach(() => {
    sink.mode = 'accept';
  });

  afterAll(async () => {
    for (const w of workers) await w.close();
    await api?.close();
    await sink.stop();
    await client?.end();
  });

  /** Letters as recorded, their sealed recipient and subject opened. */
  const lettersOf = async (caseId: string): Promise<LetterRow[]> =>
    openedRows(
      client,
      (
        await client.query<LetterRow>(
          `SELECT id, kind, recipient, subject, status, message_id, in_reply_to, "references", attempts, last_error
           FROM letters WHERE case_id = $1 ORDER BY created_at`,
          [caseId],
        )
      ).rows,
      ['recipient', 'subject'],
    );

  const letter = async (id: string): Promise<LetterRow> =>
    (
      await openedRows(client, (await client.query<LetterRow>(`SELECT * FROM letters WHERE id = $1`, [id])).rows, [
        'recipient',
        'subject',
      ])
    )[0];

  /**
   * A routed case of its own, and a receipt-like letter to `to` recorded (with its send job) by the real service.
   * `holdJob` marks the job relayed in the same transaction, so that only the test sends the letter.
   */
  async function recordLetter(to: string, { holdJob = false } = {}): Promise<{ id: string; reference: string }> {
    const res = await postJson(api.url, '/api/v1/notices', completeNotice([`https://example.com/d/${uniqueId()}`]));
    expect(res.status).toBe(201);
    const [kase] = (
      await client.query(`SELECT id, reference, status_token FROM cases WHERE id = $1`, [res.body.caseId])
    ).rows;
    const letters = workers[0].get(LettersService, { strict: false });
    const id = await workers[0].get(DataSource).transaction(async (m) => {
      const recorded = await letters.record(
        m,
        { id: kase.id, reference: kase.reference, statusToken: kase.status_token },
        LetterKind.Receipt,
        `test-${uniqueId()}`,
        to,
        { kind: 'takedown', complete: true, missing: [] },
      );
      if (holdJob) {
        await m.query(`UPDATE outbox SET dispatched_at = now() WHERE data->>'letterId' = $1`, [recorded]);
      }
      return recorded;
    });
    if (!id) throw new Error('the letter was not recorded');
    return { id, reference: kase.reference };
  }

  it('sends receipt, referral, takedown-done and uploader letters, threaded, without the complainant to the uploader', async () => {
    const uploader = `uploader-${uniqueId()}@example.net`;
    const mega = `https://mega.nz/file/${uniqueId()}`;
    const page = await createCatalogPage(client, {
      uploaderEmail: uploader,
      targets: [`https://files.example-mirror.org/${uniqueId()}.zip`, mega],
    });
    const [ours] = page.downloads;
    const res = await postJson(
      api.url,
      '/api/v1/notices',
      completeNotice([`https://example.com/d/${ours.id}`, mega], {
        complainant: { name: 'Jane Roe', email: COMPLAINANT, role: 'agent', ownerName: 'Acme Ltd', phone: PHONE },
      }),
    );
    expect(res.status).toBe(201);
    const { caseId, reference } = res.body as { caseId: string; reference: string };

    const letters = await waitFor('four letters to be sent', async () => {
      const rows = await lettersOf(caseId);
      return rows.length === 4 && rows.every((l) => l.status === 'sent') ? rows : undefined;
    });
    expect(letters.map((l) => l.kind).sort()).toEqual(['receipt', 'referral', 'takedown_done', 'uploader']);
    await drain(client, TEST_REDIS_URL, prefix);

    const toComplainant = sink.received.filter((m) => m.parsed.headers.get('x-takedown-case') === reference);
    expect(toComplainant).toHaveLength(4);
    for (const mail of toComplainant) {
      expect(mail.parsed.subject).toContain(reference);
      expect(mail.parsed.from?.text).toBe('dmca@example.com');
      expect(mail.parsed.headers.get('auto-submitted')).toBe('auto-generated');
      const recorded = letters.find((l) => l.message_id === mail.parsed.messageId);
      expect(recorded).toBeDefined();
      expect(mail.envelope.to).toEqual([recorded!.recipient.toLowerCase()]);
    }
    const byKind = (kind: string) => {
      const row = letters.find((l) => l.kind === kind)!;
      return { row, mail: toComplainant.find((m) => m.parsed.messageId === row.message_id)! };
    };

    expect(byKind('receipt').row.recipient).toBe(COMPLAINANT);
    const referral = byKind('referral');
    expect(referral.row.recipient).toBe(COMPLAINANT);
    const channel = loadProviderRegistry().byId('mega')!.copyright;
    expect(referral.mail.parsed.text).toContain('MEGA');
    expect(referral.mail.parsed.text).toContain(channel.email);
    expect(referral.mail.parsed.text).toContain(mega);

    const upload = byKind('uploader');
    expect(upload.row.recipient).toBe(uploader);
    expect(upload.mail.envelope.to).toEqual([uploader]);
    const uploaderText = `${upload.mail.raw}\n${upload.mail.parsed.text}\n${String(upload.mail.parsed.html)}`;
    expect(uploaderText).toContain(`/d/${ours.id}`);
    expect(uploaderText).toContain(`/software/${page.slug}`);
    expect(upload.mail.parsed.text).toMatch(/penalty of perjury/);
    expect(upload.mail.parsed.text).toMatch(/consent to the jurisdiction/);
    expect(uploaderText).not.toContain(COMPLAINANT);
    expect(uploaderText).not.toContain('555 0199');
    expect(uploaderText).not.toContain(res.body.statusUrl.split('/').pop());

    // The complainant's letters thread in the order they were recorded; the uploader's stands apart.
    const thread = letters.filter((l) => l.recipient === COMPLAINANT);
    expect(thread[0].in_reply_to).toBeNull();
    for (let i = 1; i < thread.length; i++) {
      const mail = toComplainant.find((m) => m.parsed.messageId === thread[i].message_id)!;
      expect(mail.parsed.inReplyTo).toBe(thread[i - 1].message_id);
      expect([mail.parsed.references].flat()).toEqual(thread.slice(0, i).map((l) => l.message_id));
    }
    expect(upload.mail.parsed.inReplyTo).toBeUndefined();
  });

  it("sends a deficient notice's deficiency letter naming each missing element", async () => {
    const contact = `legal-${uniqueId()}@pixelforge.io`;
    const text = [
      'Our company owns the copyright in the software "PixelForge Pro". The original is at https://pixelforge.io/pro.',
      `An unauthorised copy is offered for download at https://example.com/d/${uniqueId()}`,
      '',
      `Contact: ${contact}, +1 415 555 0100`,
    ].join('\n');
    const res = await postJson(api.url, '/api/v1/notices', { text });
    expect(res.status).toBe(201);
    const missing = res.body.missing as ElementName[];
    expect(missing.length).toBeGreaterThan(0);
    const mails = await waitFor('the receipt and deficiency letter', () =>
      Promise.resolve(sink.to(contact).length === 2 ? sink.to(contact) : undefined),
    );
    const deficiency = mails.find((m) => m.parsed.subject?.includes('incomplete'))!;
    expect(deficiency.parsed.subject).toContain(res.body.reference);
    for (const element of missing) expect(deficiency.parsed.text).toContain(ELEMENT_LABELS[element].title);
  });

  it('does not send a letter twice when its job runs again or two senders race', async () => {
    const to = `twice-${uniqueId()}@example.net`;
    const { id } = await recordLetter(to);
    await waitFor('the letter to be sent', async () => (await letter(id)).status === 'sent');

    const queue = new Queue(QueueName.Mail, { prefix, connection: redisOptionsFromUrl(TEST_REDIS_URL) });
    try {
      await queue.add(JobName.SendLetter, { letterId: id }, { jobId: `again-${id}` });
      await drain(client, TEST_REDIS_URL, prefix);
    } finally {
      await queue.close();
    }
    const sender = workers[0].get(LetterSenderService, { strict: false });
    expect(await sender.send(id)).toEqual({ outcome: 'skipped', status: 'sent' });
    expect(sink.to(to)).toHaveLength(1);

    // Two workers handed the same queued letter at once: one sends it, the other finds it taken.
    const racedTo = `raced-${uniqueId()}@example.net`;
    const { id: raced } = await recordLetter(racedTo, { holdJob: true });
    const [a, b] = await Promise.all(workers.map((w) => w.get(LetterSenderService, { strict: false }).send(raced)));
    const outcomes = [a.outcome, b.outcome].sort();
    expect(outcomes).toContain('sent');
    // Usually the other finds the row locked mid-send; had the first finished already, it finds it sent.
    expect([
      ['busy', 'sent'],
      ['sent', 'skipped'],
    ]).toContainEqual(outcomes);
    expect(sink.to(racedTo)).toHaveLength(1);
    expect((await letter(raced)).attempts).toBe(1);
  });

  it('leaves a letter leased to another sender alone until the lease runs out', async () => {
    const to = `leased-${uniqueId()}@example.net`;
    const { id } = await recordLetter(to, { holdJob: true });
    const sender = workers[0].get(LetterSenderService, { strict: false });

    // Another sender's live lease: this one finds the letter busy and sends nothing.
    await client.query(`UPDATE letters SET claimed_until = now() + interval '1 minute' WHERE id = $1`, [id]);
    expect(await sender.send(id)).toEqual({ outcome: 'busy' });
    expect(sink.to(to)).toHaveLength(0);
    expect(await letter(id)).toMatchObject({ status: 'queued', attempts: 0 });

    // That sender died and its lease ran out: the letter is taken up and sent once.
    await client.query(`UPDATE letters SET claimed_until = now() - interval '1 second' WHERE id = $1`, [id]);
    expect(await sender.send(id)).toMatchObject({ outcome: 'sent' });
    expect(await sender.send(id)).toEqual({ outcome: 'skipped', status: 'sent' });
    expect(sink.to(to)).toHaveLength(1);
    const row = (await client.query(`SELECT attempts, claimed_until FROM letters WHERE id = $1`, [id])).rows[0];
    expect(row).toEqual({ attempts: 1, claimed_until: null });
  });

  it('marks a letter refused with 5xx failed with the reason, and retries a 4xx', async () => {
    sink.mode = 'reject';
    const refused = await recordLetter(`nobody-${uniqueId()}@example.net`);
    const failed = await waitFor('the letter to fail', async () => {
      const row = await letter(refused.id);
      return row.status === 'failed' ? row : undefined;
    });
    expect(failed.last_error).toMatch(/550/);
    expect(failed.last_error).toMatch(/Mailbox unavailable/);
    expect(failed.attempts).toBe(1);

    sink.mode = 'tempfail';
    const later = await recordLetter(`later-${uniqueId()}@example.net`);
    const retried = await waitFor('a temporary failure to be recorded', async () => {
      const row = await letter(later.id);
      return row.last_error ? row : undefined;
    });
    expect(retried.status).toBe('queued');
    expect(retried.last_error).toMatch(/451/);
    sink.mode = 'accept';
    await waitFor('the retry to send it', async () => (await letter(later.id)).status === 'sent', 30_000);
    expect(sink.to(retried.recipient)).toHaveLength(1);
    await drain(client, TEST_REDIS_URL, prefix);
  });

  it('sends once when the worker is closed mid-send and a new one takes over', async () => {
    sink.mode = 'stall';
    const stalledBefore = sink.stalled;
    const to = `midsend-${uniqueId()}@example.net`;
    const { id } = await recordLetter(to);
    // Other letters of the same notice may stall first: wait for this one.
    await waitFor('the server to hold this letter in its DATA phase', () =>
      Promise.resolve(sink.stalled > stalledBefore && sink.stalledTo.includes(to)),
    );
    // The SMTP conversation holds no transaction (nor a pool connection) open while the server stalls. Another
    // transaction is idle between two of its statements for a moment; one seen idle in two looks 100 ms apart is
    // held, and none may be.
    let idle = new Set<string>();
    for (let i = 0; i < 6; i++) {
      const { rows } = await client.query<{ held: string }>(
        `SELECT pid || ' ' || xact_start AS held FROM pg_stat_activity
         WHERE datname = current_database() AND state LIKE 'idle in transaction%' AND query ILIKE '%letters%'`,
      );
      const now = new Set(rows.map((r) => r.held));
      expect([...now].filter((h) => idle.has(h))).toEqual([]);
      idle = now;
      await new Promise((r) => setTimeout(r, 100));
    }

    sink.mode = 'accept';
    // Every worker goes down at once: closed one after another, the second would take up the first's abandoned
    // try (retried after its backoff) and send it before it was closed itself.
    await Promise.all(workers.map((w) => w.close()));
    workers = [];
    const row = await letter(id);
    expect(row.status).toBe('queued');
    expect(sink.to(to)).toHaveLength(0);

    workers = [await startWorker(env)];
    await waitFor('the new worker to send it', async () => (await letter(id)).status === 'sent', 30_000);
    await drain(client, TEST_REDIS_URL, prefix);
    expect(sink.to(to)).toHaveLength(1);
    expect(sink.to(to)[0].parsed.messageId).toBe(row.message_id);
    // The abandoned try was recorded, then the new worker's went through.
    expect(await letter(id)).toMatchObject({ status: 'sent', attempts: 2, last_error: null });
  });

  it('previews a letter from the command line, and names an unknown case or letter', async () => {
    const uploader = `preview-${uniqueId()}@example.net`;
    const page = await createCatalogPage(client, { uploaderEmail: uploader });
    const res = await postJson(
      api.url,
      '/api/v1/notices',
      completeNotice([`https://example.com/d/${page.downloads[0].id}`]),
    );
    await waitFor('the takedown', async () =>
      (await client.query(`SELECT 1 FROM takedowns WHERE case_id = $1 AND status = 'done'`, [res.body.caseId])).rowCount
        ? true
        : undefined,
    );
    const run = async (args: string[]) => {
      const out: string[] = [];
      const err: string[] = [];
      const code = await runCli(args, { out: (l) => out.push(l), err: (l) => err.push(l) });
      return { code, out: out.join(''), err: err.join('') };
    };
    const preview = await run(['render-letter', 'uploader', '--case', res.body.reference, '--html']);
    expect(preview.err).toBe('');
    expect(preview.code).toBe(0);
    expect(preview.out).toContain(`To: ${uploader}`);
    expect(preview.out).toContain(`Subject: [${res.body.reference}]`);
    expect(preview.out).toContain(`/d/${page.downloads[0].id}`);
    expect(preview.out).toContain('<!doctype html>');
    const stored = await waitFor('the uploader letter', async () => {
      const { rows } = await client.query(`SELECT subject FROM letters WHERE case_id = $1 AND kind = 'uploader'`, [
        res.body.caseId,
      ]);
      return rows[0] as { subject: string } | undefined;
    });
    expect(preview.out).toContain(await opened(client, stored.subject));

    expect(await run(['render-letter', 'receipt', '--case', 'DMCA-1999-000001'])).toMatchObject({
      code: 1,
      err: 'No case DMCA-1999-000001.\n',
    });
    const unknown = await run(['render-letter', 'apology', '--case', res.body.reference]);
    expect(unknown.code).toBe(1);
    expect(unknown.err).toContain('Unknown letter "apology"');
  });
});
