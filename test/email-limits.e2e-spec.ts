import 'reflect-metadata';
import type { TestingModule } from '@nestjs/testing';
import { createHash, createHmac, randomBytes } from 'node:crypto';
import type { Client } from 'pg';
import { runCli } from '../src/cli';
import { evidenceBytes } from '../src/email-intake/mail-content';
import { PARSE_LIMITS } from '../src/email-intake/parse-budget';
import { db, type RunningApi, startApi, startMailWorker, uniquePrefix, waitFor } from './support/harness';
import { completeNoticeText, compose, freePort, sendRaw, type SmtpError } from './support/mail-fixtures';
import { SmtpSink } from './support/smtp-sink';
import { openedBytes } from './support/sealed';

jest.setTimeout(60_000);

const INTAKE = 'dmca@example.com';

interface InboundRow {
  status: string;
  reason: string | null;
  case_id: string | null;
}

/** Parse limits that forwarded messages used to escape: each is checked, and all share one budget. */
describe('parse limits across forwarded messages, through the SMTP listener and the worker', () => {
  let client: Client;
  let worker: TestingModule;
  let sink: SmtpSink;
  let port: number;

  beforeAll(async () => {
    client = await db();
    sink = await new SmtpSink().start();
    port = await freePort();
    worker = await startMailWorker({
      QUEUE_PREFIX: uniquePrefix(),
      SMTP_LISTEN_PORT: String(port),
      SMTP_LISTEN_HOST: '127.0.0.1',
      INBOUND_ADDRESSES: INTAKE,
      INBOUND_MAX_BYTES: String(2 * 1024 * 1024),
      SMTP_URL: sink.url,
    });
  });

  afterAll(async () => {
    await worker?.close();
    await sink?.stop();
    await client?.end();
  });

  const messageId = () => `<${randomBytes(8).toString('hex')}@mail.test>`;

  const settled = (id: string): Promise<InboundRow> =>
    waitFor(`settled message ${id}`, async () => {
      const { rows } = await client.query<InboundRow>(
        `SELECT status, reason, case_id FROM inbound_messages WHERE message_id = $1`,
        [id],
      );
      return rows[0] && rows[0].status !== 'stored' ? rows[0] : undefined;
    });

  /** A message of `parts` small text attachments. */
  const manyParts = (parts: number, subject: string) =>
    compose({
      from: 'Jane Roe <jane@rights-holder.test>',
      to: INTAKE,
      subject,
      messageId: messageId(),
      text: 'See the attached notice.',
      attachments: Array.from({ length: parts }, (_, i) => ({
        filename: `page-${i}.txt`,
        content: `page ${i}`,
      })),
    });

  /** `inner` forwarded as a base64-encoded message/rfc822 attachment: the outer MIME walk cannot see into it. */
  const forwarding = (inner: Buffer[], id: string, subject = 'Fwd: notice') =>
    compose({
      from: 'Jane Roe <jane@rights-holder.test>',
      to: INTAKE,
      subject,
      messageId: id,
      text: 'Forwarding the notices below.',
      attachments: inner.map((raw, i) => ({
        filename: `forward-${i}.eml`,
        content: raw,
        contentType: 'message/rfc822',
        contentTransferEncoding: 'base64',
      })),
    });

  it('quarantines a message whose forwarded messages together hold more parts than the limit', async () => {
    const perForward = Math.ceil(PARSE_LIMITS.maxParts / 4);
    const forwards = await Promise.all([1, 2, 3, 4, 5].map((n) => manyParts(perForward, `notice ${n}`)));
    const id = messageId();
    const raw = await forwarding(forwards, id);
    expect(raw.toString('latin1')).toContain('Content-Transfer-Encoding: base64');
    await sendRaw(port, raw, { from: 'jane@rights-holder.test', to: [INTAKE] });

    const row = await settled(id);
    expect(row).toMatchObject({
      status: 'quarantined',
      reason: `in a forwarded message: more than ${PARSE_LIMITS.maxParts} MIME parts`,
      case_id: null,
    });
  });

  it('quarantines forwards nested inside forwards that together hold more parts than the limit', async () => {
    // Forwards three deep, each level with 40 parts of its own: fine one by one, over the limit together.
    let inner = await manyParts(40, 'the original notice');
    for (let level = 1; level <= 2; level++) {
      inner = await compose({
        from: 'Jane Roe <jane@rights-holder.test>',
        to: INTAKE,
        subject: `Fwd level ${level}`,
        messageId: messageId(),
        text: 'Forwarding.',
        attachments: [
          ...Array.from({ length: 40 }, (_, i) => ({ filename: `note-${i}.txt`, content: `note ${i}` })),
          { filename: 'inner.eml', content: inner, contentType: 'message/rfc822', contentTransferEncoding: 'base64' },
        ],
      });
    }
    const id = messageId();
    await sendRaw(port, await forwarding([inner], id), { from: 'jane@rights-holder.test', to: [INTAKE] });

    const row = await settled(id);
    expect(row).toMatchObject({
      status: 'quarantined',
      reason: `in a forwarded message: more than ${PARSE_LIMITS.maxParts} MIME parts`,
    });
  });

  it('still reads a forwarded message within the limits into the notice', async () => {
    const id = messageId();
    await sendRaw(port, await forwarding([await manyParts(3, 'a small notice')], id), {
      from: 'jane@rights-holder.test',
      to: [INTAKE],
    });
    const row = await settled(id);
    expect(row.status).toBe('parsed');
  });
});

/**
 * A message whose References header is folded over about `bytes` of continuation lines: the shape that took 27 s to
 * unfold before the 250.
 */
function foldedHeaderMessage(id: string, bytes: number): { raw: Buffer; lastId: string } {
  const lines = [`References: <first@mail.test>`];
  let lastId = '';
  for (let length = 0, i = 0; length < bytes; i++) {
    lastId = `<ref-${i}@folded.mail.test>`;
    lines.push(` ${lastId}`);
    length += lastId.length + 3;
  }
  const raw = [
    'From: Jane Roe <jane@rights-holder.test>',
    `To: ${INTAKE}`,
    'Subject: a notice with a long References header',
    `Message-ID: ${id}`,
    ...lines,
    '',
    'Please remove https://example.com/d/1.',
    '',
  ].join('\r\n');
  return { raw: Buffer.from(raw, 'latin1'), lastId };
}

describe('the header block limit (INBOUND_MAX_HEADER_BYTES, at its default), over SMTP and the webhook', () => {
  const DEFAULT_MAX_HEADER_BYTES = 256 * 1024;
  const SECRET = 'test-inbound-webhook-secret';
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
      QUEUE_PREFIX: uniquePrefix(),
      SMTP_LISTEN_PORT: String(port),
      SMTP_LISTEN_HOST: '127.0.0.1',
      INBOUND_ADDRESSES: INTAKE,
      INBOUND_MAX_BYTES: String(4 * 1024 * 1024),
      INBOUND_WEBHOOK_SECRET: SECRET,
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

  const messageId = () => `<${randomBytes(8).toString('hex')}@mail.test>`;
  const rowsOf = async (id: string) =>
    (
      await client.query<{ status: string; raw: Buffer; channel: string }>(
        `SELECT status, raw, channel FROM inbound_messages WHERE message_id = $1`,
        [id],
      )
    ).rows;
  const post = (raw: Buffer) =>
    fetch(`${api.url}/api/v1/inbound/email`, {
      method: 'POST',
      headers: {
        'content-type': 'message/rfc822',
        'x-inbound-signature': `sha256=${createHmac('sha256', SECRET).update(raw).digest('hex')}`,
      },
      body: raw,
    });

  it('refuses a 1 MB folded header over SMTP with a 552 naming the limit, and stores nothing', async () => {
    const id = messageId();
    const { raw } = foldedHeaderMessage(id, 1024 * 1024);
    const refusal = await sendRaw(port, raw, { from: 'jane@rights-holder.test', to: [INTAKE] }).then(
      (reply) => reply,
      (error: SmtpError) => error,
    );
    expect(refusal).toMatchObject({ responseCode: 552 });
    expect((refusal as SmtpError).response).toContain(
      `the limit is ${DEFAULT_MAX_HEADER_BYTES} bytes (INBOUND_MAX_HEADER_BYTES)`,
    );
    expect(await rowsOf(id)).toEqual([]);
  });

  it('takes a long folded header within the limit over SMTP, whole, and the worker parses it', async () => {
    const id = messageId();
    const { raw, lastId } = foldedHeaderMessage(id, 200 * 1024);
    expect(await sendRaw(port, raw, { from: 'jane@rights-holder.test', to: [INTAKE] })).toMatch(/^250 /);
    const row = await waitFor('the message to be parsed', async () => {
      const [found] = await rowsOf(id);
      return found && found.status !== 'stored' ? found : undefined;
    });
    expect(row).toMatchObject({ channel: 'smtp', status: 'parsed' });
    row.raw = (await openedBytes(client, row.raw))!;
    expect(row.raw.subarray(row.raw.length - raw.length).equals(raw)).toBe(true);
    expect(row.raw.toString('latin1')).toContain(` ${lastId}\r\n\r\nPlease remove`);
  });

  it('parses a message of several read slices (over 1 MB) and finds its attachment there byte for byte', async () => {
    const id = messageId();
    const evidence = randomBytes(2 * 1024 * 1024);
    const raw = await compose({
      from: 'jane@rights-holder.test',
      to: INTAKE,
      subject: 'DMCA notice with evidence',
      messageId: id,
      text: completeNoticeText(`https://example.com/d/slices-${randomBytes(4).toString('hex')}`),
      attachments: [{ filename: 'evidence.bin', contentType: 'application/octet-stream', content: evidence }],
    });
    expect(raw.length).toBeGreaterThan(2 * 1024 * 1024);
    expect(await sendRaw(port, raw, { from: 'jane@rights-holder.test', to: [INTAKE] })).toMatch(/^250 /);
    const row = await waitFor('the message to be parsed', async () => {
      const [found] = await rowsOf(id);
      return found && found.status !== 'stored' ? found : undefined;
    });
    expect(row).toMatchObject({ channel: 'smtp', status: 'parsed' });
    const { rows: files } = await client.query<{
      id: string;
      content: Buffer | null;
      mime_part: string[];
      sha256: string;
      raw: Buffer;
    }>(
      `SELECT f.id, f.content, f.mime_part, f.sha256, f.size_bytes, m.raw
       FROM evidence_files f JOIN inbound_messages m ON m.id = f.inbound_message_id WHERE m.message_id = $1`,
      [id],
    );
    expect(files).toHaveLength(1);
    // No second copy: the file is its part of the sealed raw message.
    expect(files[0]).toMatchObject({ content: null, mime_part: ['2'], size_bytes: evidence.length });
    const stored = (await openedBytes(client, files[0].raw))!;
    expect((await evidenceBytes(stored, files[0].mime_part))!.equals(evidence)).toBe(true);
    expect(files[0].sha256).toBe(createHash('sha256').update(evidence).digest('hex'));
    // Staff get the file from the command line, byte for byte.
    const out: Buffer[] = [];
    const io = {
      out: (l: string) => out.push(Buffer.from(l)),
      err: () => undefined,
      bytes: (b: Buffer) => out.push(b),
    };
    expect(await runCli(['inbound', '--evidence', files[0].id], io)).toBe(0);
    expect(Buffer.concat(out).equals(evidence)).toBe(true);
    expect(await runCli(['inbound', '--evidence', 'not-an-id'], io)).not.toBe(0);
    expect(await runCli(['inbound', '--evidence'], io)).not.toBe(0);
  });

  it('answers the webhook 413 naming the limit for a 1 MB folded header, and stores nothing', async () => {
    const id = messageId();
    const res = await post(foldedHeaderMessage(id, 1024 * 1024).raw);
    expect(res.status).toBe(413);
    expect(((await res.json()) as { message: string }).message).toContain(
      `over the limit of ${DEFAULT_MAX_HEADER_BYTES} bytes (INBOUND_MAX_HEADER_BYTES)`,
    );
    expect(await rowsOf(id)).toEqual([]);
  });

  it('takes a long folded header within the limit on the webhook', async () => {
    const id = messageId();
    const res = await post(foldedHeaderMessage(id, 200 * 1024).raw);
    expect(res.status).toBe(202);
    expect((await rowsOf(id)).map((r) => r.channel)).toEqual(['webhook']);
  });
});
