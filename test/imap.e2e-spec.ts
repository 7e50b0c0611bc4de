import type { INestApplicationContext } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import type { Client } from 'pg';
import { ThrowawayDovecot } from './support/dovecot';
import { createCatalogPage } from './support/factories';
import { db, startWorker, uniquePrefix, waitFor } from './support/harness';
import { compose, completeNoticeText } from './support/mail-fixtures';
import { openedBytes } from './support/sealed';

jest.setTimeout(90_000);

const PROCESSED = 'Processed';

interface InboundRow {
  id: string;
  status: string;
  channel: string;
  case_id: string | null;
  notice_id: string | null;
}

/** The worker's settings for polling the throw-away mailbox. */
function imapSettings(dovecot: ThrowawayDovecot): Record<string, string> {
  return {
    IMAP_HOST: '127.0.0.1',
    IMAP_PORT: String(dovecot.port),
    IMAP_TLS: 'false',
    IMAP_USER: dovecot.user,
    IMAP_PASSWORD: dovecot.password,
    IMAP_FOLDER: 'INBOX',
    IMAP_PROCESSED_FOLDER: PROCESSED,
    IMAP_POLL_SECONDS: '5',
  };
}

describe('IMAP intake, against a real dovecot mailbox', () => {
  let client: Client;
  let dovecot: ThrowawayDovecot;
  let worker: INestApplicationContext;

  beforeAll(async () => {
    client = await db();
    dovecot = await ThrowawayDovecot.start();
    worker = await startWorker({
      QUEUE_PREFIX: uniquePrefix(),
      ...imapSettings(dovecot),
    });
  });

  afterAll(async () => {
    await worker?.close();
    await dovecot?.stop();
    await client?.end();
  });

  const messageId = () => `<${randomBytes(8).toString('hex')}@mail.test>`;

  const notice = async (id: string): Promise<Buffer> => {
    const page = await createCatalogPage(client);
    return compose({
      from: 'Jane Roe <jane@rights-holder.test>',
      to: 'dmca@example.com',
      subject: 'DMCA notice',
      messageId: id,
      text: completeNoticeText(`https://example.com/d/${page.downloads[0].id}`),
    });
  };

  /** Every stored copy of a Message-ID, once the worker has settled them all. */
  const settled = (id: string, copies: number): Promise<InboundRow[]> =>
    waitFor(
      `${copies} settled IMAP message(s) ${id}`,
      async () => {
        const { rows } = await client.query<InboundRow>(
          `SELECT id, status, channel, case_id, notice_id FROM inbound_messages WHERE message_id = $1
           ORDER BY received_at`,
          [id],
        );
        return rows.length === copies && rows.every((r) => r.status !== 'stored') ? rows : undefined;
      },
      30_000,
    );

  const mailbox = async () => ({ inbox: await dovecot.count('INBOX'), processed: await dovecot.count(PROCESSED) });

  it('turns a message in the mailbox into a case and moves it to the processed folder', async () => {
    const before = await mailbox();
    const id = messageId();
    await dovecot.append(await notice(id));

    const [row] = await settled(id, 1);
    expect(row).toMatchObject({ channel: 'imap', status: 'parsed' });
    expect(row.case_id).toBeTruthy();
    const kase = (await client.query(`SELECT kind, checklist FROM cases WHERE id = $1`, [row.case_id])).rows[0];
    expect(kase.kind).toBe('takedown');
    expect(kase.checklist.missing).toEqual([]);
    const stored = (await client.query(`SELECT channel FROM notices WHERE id = $1`, [row.notice_id])).rows[0];
    expect(stored.channel).toBe('email');

    await waitFor('the message to leave INBOX', async () => (await dovecot.count('INBOX')) === 0);
    expect(await mailbox()).toEqual({ inbox: 0, processed: before.processed + 1 });
  });

  it('makes one notice of a message delivered twice', async () => {
    const before = await mailbox();
    const id = messageId();
    const raw = await notice(id);
    await dovecot.append(raw);
    await dovecot.append(raw);

    const rows = await settled(id, 2);
    expect(rows.every((r) => r.channel === 'imap')).toBe(true);
    expect(rows.map((r) => r.status).sort()).toEqual(['duplicate', 'parsed']);
    const notices = await client.query(`SELECT id FROM notices WHERE inbound_message_id = ANY($1::uuid[])`, [
      rows.map((r) => r.id),
    ]);
    expect(notices.rows).toHaveLength(1);

    await waitFor('both copies to leave INBOX', async () => (await dovecot.count('INBOX')) === 0);
    expect(await mailbox()).toEqual({ inbox: 0, processed: before.processed + 2 });
  });
});

describe('IMAP intake of a message over INBOUND_MAX_BYTES', () => {
  const MAX_BYTES = 1024;
  let client: Client;
  let dovecot: ThrowawayDovecot;
  let worker: INestApplicationContext;

  beforeAll(async () => {
    client = await db();
    dovecot = await ThrowawayDovecot.start();
    worker = await startWorker({
      QUEUE_PREFIX: uniquePrefix(),
      INBOUND_MAX_BYTES: String(MAX_BYTES),
      ...imapSettings(dovecot),
    });
  });

  afterAll(async () => {
    await worker?.close();
    await dovecot?.stop();
    await client?.end();
  });

  it('keeps only its headers, quarantined with the reason, and moves it out of INBOX', async () => {
    const id = `<${randomBytes(8).toString('hex')}@mail.test>`;
    const raw = await compose({
      from: 'Jane Roe <jane@rights-holder.test>',
      to: 'dmca@example.com',
      subject: 'A large notice',
      messageId: id,
      text: 'A notice.',
      attachments: [{ filename: 'scan.pdf', content: randomBytes(64 * 1024) }],
    });
    await dovecot.append(raw);

    const row = await waitFor(
      'the oversized message to be recorded',
      async () =>
        (
          await client.query<{ status: string; reason: string; raw: Buffer; channel: string; processed_at: Date }>(
            `SELECT status, reason, raw, channel, processed_at FROM inbound_messages WHERE message_id = $1`,
            [id],
          )
        ).rows[0],
      30_000,
    );
    row.raw = (await openedBytes(client, row.raw))!;
    expect(row.channel).toBe('imap');
    expect(row.status).toBe('quarantined');
    expect(row.processed_at).toBeTruthy();
    expect(row.reason).toContain(
      `over INBOUND_MAX_BYTES (${raw.length} bytes); left in the mailbox's processed folder`,
    );
    // Its headers only: the body was never downloaded.
    expect(row.raw.length).toBeLessThan(MAX_BYTES);
    expect(row.raw.toString()).toContain(`Message-ID: ${id}`);
    expect(row.raw.toString()).not.toContain('scan.pdf');

    await waitFor('the message to leave INBOX', async () => (await dovecot.count('INBOX')) === 0);
    expect(await dovecot.count(PROCESSED)).toBe(1);
    // Never queued for the parser: still quarantined with the same reason a moment later.
    await new Promise((resolve) => setTimeout(resolve, 1000));
    const again = await client.query(`SELECT status, reason FROM inbound_messages WHERE message_id = $1`, [id]);
    expect(again.rows).toEqual([{ status: 'quarantined', reason: row.reason }]);
  });
});

describe('IMAP intake of a message whose header block is over INBOUND_MAX_HEADER_BYTES', () => {
  const MAX_BYTES = 64 * 1024;
  const MAX_HEADER_BYTES = 4096;
  let client: Client;
  let dovecot: ThrowawayDovecot;
  let worker: INestApplicationContext;

  beforeAll(async () => {
    client = await db();
    dovecot = await ThrowawayDovecot.start();
    worker = await startWorker({
      QUEUE_PREFIX: uniquePrefix(),
      INBOUND_MAX_BYTES: String(MAX_BYTES),
      INBOUND_MAX_HEADER_BYTES: String(MAX_HEADER_BYTES),
      ...imapSettings(dovecot),
    });
  });

  afterAll(async () => {
    await worker?.close();
    await dovecot?.stop();
    await client?.end();
  });

  /** A message with a References header folded over `headerBytes`, and a body of `bodyBytes`. */
  const folded = (id: string, headerBytes: number, bodyBytes: number): Buffer => {
    const refs = Array.from({ length: Math.ceil(headerBytes / 30) }, (_, i) => ` <ref-${i}@folded.mail.test>`);
    return Buffer.from(
      [
        'From: Jane Roe <jane@rights-holder.test>',
        'To: dmca@example.com',
        'Subject: a notice with a long References header',
        `Message-ID: ${id}`,
        'References: <first@mail.test>',
        ...refs,
        '',
        `Please remove https://example.com/d/1. ${'x'.repeat(bodyBytes)}`,
        '',
      ].join('\r\n'),
      'latin1',
    );
  };

  /** The message's row once recorded, its sealed raw bytes opened. */
  const recorded = async (id: string) => {
    const row = await waitFor(
      `message ${id} to be recorded`,
      async () =>
        (
          await client.query<{ status: string; reason: string; raw: Buffer; processed_at: Date | null }>(
            `SELECT status, reason, raw, processed_at FROM inbound_messages WHERE message_id = $1`,
            [id],
          )
        ).rows[0],
      30_000,
    );
    row.raw = (await openedBytes(client, row.raw))!;
    return row;
  };

  it('keeps the whole message, quarantined with the reason, never parsed, and moves it out of INBOX', async () => {
    const id = `<${randomBytes(8).toString('hex')}@mail.test>`;
    const raw = folded(id, 16 * 1024, 100);
    expect(raw.length).toBeLessThan(MAX_BYTES);
    await dovecot.append(raw);

    const row = await recorded(id);
    expect(row.status).toBe('quarantined');
    expect(row.processed_at).toBeTruthy();
    const headerBytes = raw.indexOf('\r\n\r\n');
    expect(row.reason).toBe(
      `header block over INBOUND_MAX_HEADER_BYTES (${headerBytes} bytes, the limit is ${MAX_HEADER_BYTES}); ` +
        `kept unparsed, and left in the mailbox's processed folder (${PROCESSED})`,
    );
    expect(row.raw.equals(raw)).toBe(true);

    await waitFor('the message to leave INBOX', async () => (await dovecot.count('INBOX')) === 0);
    expect(await dovecot.count(PROCESSED)).toBe(1);
    await new Promise((resolve) => setTimeout(resolve, 1000));
    const again = await client.query(`SELECT status, reason FROM inbound_messages WHERE message_id = $1`, [id]);
    expect(again.rows).toEqual([{ status: 'quarantined', reason: row.reason }]);
  });

  it('cuts the headers kept of a message over INBOUND_MAX_BYTES to INBOUND_MAX_HEADER_BYTES', async () => {
    const id = `<${randomBytes(8).toString('hex')}@mail.test>`;
    const raw = folded(id, 16 * 1024, MAX_BYTES);
    await dovecot.append(raw);

    const row = await recorded(id);
    expect(row.status).toBe('quarantined');
    expect(row.reason).toBe(
      `over INBOUND_MAX_BYTES (${raw.length} bytes); left in the mailbox's processed folder (${PROCESSED}); ` +
        `its headers cut to the first ${MAX_HEADER_BYTES} bytes (INBOUND_MAX_HEADER_BYTES)`,
    );
    expect(row.raw.equals(raw.subarray(0, MAX_HEADER_BYTES))).toBe(true);
    await waitFor('the message to leave INBOX', async () => (await dovecot.count('INBOX')) === 0);
  });
});
