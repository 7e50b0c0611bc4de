import 'reflect-metadata';
import type { TestingModule } from '@nestjs/testing';
import type { Client } from 'pg';
import { createCatalogPage } from './support/factories';
import { db, startMailWorker, type RunningApi, startApi, uniqueId, uniquePrefix, waitFor } from './support/harness';
import { compose, deficientNoticeText, freePort, MISSING_STATEMENTS, sendRaw } from './support/mail-fixtures';
import { type CapturedMail, SmtpSink } from './support/smtp-sink';

jest.setTimeout(90_000);

const INTAKE = 'dmca@example.com';
const SENDER = 'legal@pixelforge.test';

/**
 * A notice sent by email travels the whole way: received over SMTP, a receipt and a deficiency letter out, the
 * sender's reply threads into the case and completes it, our download is taken down and a referral letter names the
 * storage provider's channel. Real SMTP both ways, the real worker, Postgres and Redis.
 */
describe('a notice by email, the whole way', () => {
  const prefix = uniquePrefix();
  let client: Client;
  let worker: TestingModule;
  let api: RunningApi;
  let sink: SmtpSink;
  let port: number;

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
  });

  afterAll(async () => {
    await worker?.close();
    await api?.close();
    await sink?.stop();
    await client?.end();
  });

  const letterTo = (subject: RegExp): Promise<CapturedMail> =>
    waitFor(`a letter to ${SENDER} matching ${subject}`, () =>
      Promise.resolve(sink.to(SENDER).find((m) => subject.test(m.parsed.subject ?? ''))),
    );

  it('receipt, deficiency letter, reply, takedown, referral letter', async () => {
    const mega = `https://mega.nz/file/${uniqueId()}`;
    const page = await createCatalogPage(client, { targets: [`https://files.example-mirror.org/${uniqueId()}.zip`] });
    const ours = `https://example.com/d/${page.downloads[0].id}`;

    const notice = await compose({
      from: `Pat Smith <${SENDER}>`,
      to: INTAKE,
      subject: 'Copyright infringement: PixelForge Pro',
      messageId: `<notice-${uniqueId()}@pixelforge.test>`,
      text: `${deficientNoticeText(ours)}\nAnother copy: ${mega}\n`,
    });
    expect(await sendRaw(port, notice, { from: SENDER, to: [INTAKE] })).toMatch(/^250/);

    const deficiency = await letterTo(/incomplete/i);
    const reference = /DMCA-\d{4}-\d{6}/.exec(deficiency.parsed.subject ?? '')?.[0];
    expect(reference).toBeDefined();
    expect(deficiency.parsed.text).toMatch(/perjury/i);
    expect(deficiency.parsed.text).toMatch(/signature/i);
    const receipt = await letterTo(/received your copyright notice/i);
    expect(receipt.parsed.subject).toContain(reference);
    expect(await client.query(`SELECT status FROM cases WHERE reference = $1`, [reference])).toMatchObject({
      rows: [{ status: 'needs_info' }],
    });

    const reply = await compose({
      from: `Pat Smith <${SENDER}>`,
      to: INTAKE,
      subject: `Re: ${deficiency.parsed.subject}`,
      messageId: `<reply-${uniqueId()}@pixelforge.test>`,
      inReplyTo: deficiency.parsed.messageId,
      references: [deficiency.parsed.messageId ?? ''],
      text: `${MISSING_STATEMENTS}\n`,
    });
    expect(await sendRaw(port, reply, { from: SENDER, to: [INTAKE] })).toMatch(/^250/);

    await waitFor('our download to be taken down', async () => {
      const { rows } = await client.query(`SELECT status, taken_down_case FROM download_links WHERE id = $1`, [
        page.downloads[0].id,
      ]);
      return rows[0].status === 'taken_down' && rows[0].taken_down_case === reference;
    });
    expect((await fetch(`${api.url}/d/${page.downloads[0].id}`, { redirect: 'manual' })).status).toBe(451);

    const referral = await letterTo(/other services/i);
    expect(referral.parsed.text).toContain('MEGA');
    expect(referral.parsed.text).toContain(mega);
    // Every later letter threads onto the conversation.
    expect(referral.parsed.inReplyTo).toBeDefined();
    const done = await letterTo(/removed/i);
    expect(done.parsed.text).toContain(ours);

    const { rows } = await client.query(
      `SELECT c.status, count(n.*)::int AS notices FROM cases c JOIN notices n ON n.case_id = c.id
       WHERE c.reference = $1 GROUP BY c.status`,
      [reference],
    );
    expect(rows).toEqual([{ status: 'actioned', notices: 2 }]);
  });
});
