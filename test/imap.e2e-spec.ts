import type { INestApplicationContext } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import type { Client } from 'pg';
import { ThrowawayDovecot } from './support/dovecot';
import { createCatalogPage } from './support/factories';
import { db, startWorker, uniquePrefix, waitFor } from './support/harness';
import { compose, completeNoticeText } from './support/mail-fixtures';

jest.setTimeout(90_000);

const PROCESSED = 'Processed';

interface InboundRow {
  id: string;
  status: string;
  channel: string;
  case_id: string | null;
  notice_id: string | null;
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
      IMAP_HOST: '127.0.0.1',
      IMAP_PORT: String(dovecot.port),
      IMAP_TLS: 'false',
      IMAP_USER: dovecot.user,
      IMAP_PASSWORD: dovecot.password,
      IMAP_FOLDER: 'INBOX',
      IMAP_PROCESSED_FOLDER: PROCESSED,
      IMAP_POLL_SECONDS: '5',
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
