import 'reflect-metadata';
import type { TestingModule } from '@nestjs/testing';
import { createHash, createHmac, randomBytes } from 'node:crypto';
import type { Client } from 'pg';
import { runCli } from '../src/cli';
import { DataSource } from 'typeorm';
import { PersonalData } from '../src/core/privacy/personal-data.service';
import { InboundParserService } from '../src/email-intake/inbound-parser.service';
import { receivedHeader } from '../src/email-intake/raw-message';
import { TEST_REDIS_URL } from './support/env';
import { opened, openedRows } from './support/sealed';
import { SmtpSink } from './support/smtp-sink';
import { createCatalogPage } from './support/factories';
import {
  db,
  startMailWorker,
  drain,
  type RunningApi,
  startApi,
  uniqueId,
  uniquePrefix,
  waitFor,
} from './support/harness';
import {
  compose,
  completeNoticeText,
  deficientNoticeText,
  DMARC_REJECT_DOMAIN,
  freePort,
  MISSING_STATEMENTS,
  sendRaw,
  type SmtpError,
} from './support/mail-fixtures';

jest.setTimeout(60_000);

const INTAKE = 'dmca@example.com';
const MAX_BYTES = 200_000;
const SECRET = 'test-inbound-webhook-secret';
const PDF = Buffer.from('%PDF-1.4 a signed notice');

interface InboundRow {
  id: string;
  status: string;
  reason: string | null;
  case_id: string | null;
  notice_id: string | null;
  channel: string;
}

describe('email intake, through real SMTP conversations and the worker', () => {
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
      INBOUND_ADDRESSES: `${INTAKE}, notices@example.com`,
      INBOUND_MAX_BYTES: String(MAX_BYTES),
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

  const send = (raw: Buffer, from = 'jane@rights-holder.test', to = [INTAKE]) => sendRaw(port, raw, { from, to });

  /** Every stored copy of a Message-ID, once the worker has settled them all. */
  const settled = async (id: string, copies = 1): Promise<InboundRow[]> =>
    waitFor(`${copies} settled message(s) ${id}`, async () => {
      const { rows } = await client.query<InboundRow>(
        `SELECT id, status, reason, case_id, notice_id, channel FROM inbound_messages WHERE message_id = $1
         ORDER BY received_at`,
        [id],
      );
      return rows.length === copies && rows.every((r) => r.status !== 'stored') ? rows : undefined;
    });

  const caseRow = async (caseId: string) =>
    (await client.query(`SELECT status, kind, checklist, routed_at FROM cases WHERE id = $1`, [caseId])).rows[0];

  const count = async (sql: string, params: unknown[] = []): Promise<number> =>
    (await client.query(`SELECT count(*)::int AS n FROM ${sql}`, params)).rows[0].n;

  /** The deficiency letter's Message-ID; set here if outbound mail has not assigned one yet. */
  const deficiencyMessageId = async (caseId: string): Promise<string> => {
    const letter = await waitFor('the deficiency letter', async () => {
      const { rows } = await client.query(
        `SELECT id, message_id FROM letters WHERE case_id = $1 AND kind = 'deficiency'`,
        [caseId],
      );
      return rows[0];
    });
    if (letter.message_id) return letter.message_id;
    const id = `<letter.${letter.id}@example.com>`;
    await client.query(`UPDATE letters SET message_id = $2 WHERE id = $1 AND message_id IS NULL`, [letter.id, id]);
    return (await client.query(`SELECT message_id FROM letters WHERE id = $1`, [letter.id])).rows[0].message_id;
  };

  /** A deficient notice by email, routed: the case is needs_info and its deficiency letter recorded. */
  const deficientCase = async (downloadUrl: string) => {
    const id = messageId();
    await send(
      await compose({
        from: 'Pat Smith <legal@pixelforge.test>',
        to: INTAKE,
        subject: 'Copyright infringement',
        messageId: id,
        text: deficientNoticeText(downloadUrl),
      }),
      'legal@pixelforge.test',
    );
    const [row] = await settled(id);
    expect(row.status).toBe('parsed');
    await drain(client, TEST_REDIS_URL, prefix);
    const caseId = row.case_id as string;
    expect((await caseRow(caseId)).status).toBe('needs_info');
    return { caseId, letterId: await deficiencyMessageId(caseId) };
  };

  it('turns a complete notice into a case with its checklist, links and sender, and takes the link down', async () => {
    const page = await createCatalogPage(client);
    const url = `https://example.com/d/${page.downloads[0].id}`;
    const id = messageId();
    const reply = await send(
      await compose({
        from: 'Jane Roe <jane@rights-holder.test>',
        to: INTAKE,
        subject: 'DMCA notice',
        messageId: id,
        text: completeNoticeText(url),
        attachments: [
          { filename: 'notice.pdf', contentType: 'application/pdf', content: PDF },
          { filename: 'urls.txt', contentType: 'text/plain', content: 'Also https://mega.nz/file/extra-1\n' },
        ],
      }),
    );
    expect(reply).toMatch(/^250 .*Accepted as [0-9a-f-]{36}/);

    const [row] = await settled(id);
    expect(row).toMatchObject({ status: 'parsed', channel: 'smtp', reason: null });
    const kase = await caseRow(row.case_id as string);
    expect(kase.kind).toBe('takedown');
    expect(kase.checklist.missing).toEqual([]);
    const notice = (
      await client.query(
        `SELECT channel, sender_email, inbound_message_id, auth, flags, raw_text FROM notices WHERE id = $1`,
        [row.notice_id],
      )
    ).rows[0];
    await openedRows(client, [notice], ['sender_email', 'raw_text']);
    expect(notice).toMatchObject({
      channel: 'email',
      sender_email: 'jane@rights-holder.test',
      inbound_message_id: row.id,
      flags: [],
    });
    expect(notice.auth).toMatchObject({ source: 'received', spf: 'none', dkim: 'none', dmarc: 'none' });
    expect(notice.auth.clientIp).toBe('127.0.0.1');
    expect(notice.raw_text).toContain('https://mega.nz/file/extra-1'); // the .txt attachment, read into the notice
    const party = await openedRows(
      client,
      (await client.query(`SELECT name, email FROM parties WHERE case_id = $1`, [row.case_id])).rows,
      ['name', 'email'],
    );
    expect(party).toEqual([{ name: 'Jane Roe', email: 'jane@rights-holder.test' }]);
    const links = (
      await client.query(`SELECT url, classification FROM reported_links WHERE case_id = $1`, [row.case_id])
    ).rows;
    expect(links).toEqual(
      expect.arrayContaining([
        { url, classification: 'internal' },
        { url: 'https://mega.nz/file/extra-1', classification: 'external_disk' },
      ]),
    );
    const evidence = await openedRows(
      client,
      (
        await client.query(
          `SELECT filename, content_type, size_bytes, sha256, case_id FROM evidence_files WHERE inbound_message_id = $1`,
          [row.id],
        )
      ).rows,
      ['filename'],
    );
    expect(evidence).toEqual([
      {
        filename: 'notice.pdf',
        content_type: 'application/pdf',
        size_bytes: PDF.length,
        sha256: createHash('sha256').update(PDF).digest('hex'),
        case_id: row.case_id,
      },
    ]);

    await drain(client, TEST_REDIS_URL, prefix);
    await waitFor('the takedown', async () => (await count(`takedowns WHERE case_id = $1`, [row.case_id])) === 1);
  });

  it('completes a deficient notice from a reply to the deficiency letter, and the takedown follows', async () => {
    const page = await createCatalogPage(client);
    const url = `https://example.com/d/${page.downloads[0].id}`;
    const { caseId, letterId } = await deficientCase(url);
    expect(await count(`takedowns WHERE case_id = $1`, [caseId])).toBe(0);

    const id = messageId();
    await send(
      await compose({
        from: 'Pat Smith <legal@pixelforge.test>',
        to: INTAKE,
        subject: 'Re: your letter',
        messageId: id,
        inReplyTo: letterId,
        references: [letterId],
        text: MISSING_STATEMENTS,
      }),
      'legal@pixelforge.test',
    );
    const [row] = await settled(id);
    expect(row).toMatchObject({ status: 'parsed', case_id: caseId });
    await drain(client, TEST_REDIS_URL, prefix);

    const kase = await caseRow(caseId);
    expect(kase.checklist.missing).toEqual([]);
    expect(kase.status).toBe('actioned');
    expect(await count(`notices WHERE case_id = $1`, [caseId])).toBe(2);
    await waitFor('the takedown', async () => (await count(`takedowns WHERE case_id = $1`, [caseId])) === 1);
    // The second routing sends a second receipt, and no second deficiency letter.
    const kinds = (await client.query(`SELECT kind FROM letters WHERE case_id = $1 ORDER BY kind`, [caseId])).rows;
    expect(kinds.map((k) => k.kind)).toEqual(expect.arrayContaining(['deficiency', 'receipt', 'receipt']));
    expect(kinds.filter((k) => k.kind === 'deficiency')).toHaveLength(1);
  });

  it('does not read our letter quoted back in a reply as the sender making the statements', async () => {
    const { caseId, letterId } = await deficientCase(`https://example.com/d/${uniqueId()}`);
    const letter = (await client.query(`SELECT text FROM letters WHERE message_id = $1`, [letterId])).rows[0];
    letter.text = await opened(client, letter.text);
    expect(letter.text).toContain('good faith belief'); // what the reply quotes back
    const id = messageId();
    await send(
      await compose({
        from: 'legal@pixelforge.test',
        to: INTAKE,
        subject: 'Re: deficiency',
        messageId: id,
        inReplyTo: letterId,
        text: `What exactly do you need?\n\nOn Tue, Dec 1, 2026, DMCA <dmca@example.com> wrote:\n${letter.text
          .split('\n')
          .map((l: string) => `> ${l}`)
          .join('\n')}`,
      }),
      'legal@pixelforge.test',
    );
    const [row] = await settled(id);
    expect(row.case_id).toBe(caseId);
    const kase = await caseRow(caseId);
    expect(kase.status).toBe('needs_info');
    expect(kase.checklist.missing).toEqual(expect.arrayContaining(['good_faith', 'perjury']));
  });

  it('attaches a reply from another address but flags it and does nothing automatically', async () => {
    const { caseId, letterId } = await deficientCase(`https://example.com/d/${uniqueId()}`);
    const id = messageId();
    await send(
      await compose({
        from: 'someone@elsewhere.test',
        to: INTAKE,
        subject: 'Re: deficiency',
        messageId: id,
        inReplyTo: letterId,
        text: MISSING_STATEMENTS,
      }),
      'someone@elsewhere.test',
    );
    const [row] = await settled(id);
    expect(row).toMatchObject({ status: 'parsed', case_id: caseId, reason: 'flagged: sender_not_complainant' });
    const flags = (await client.query(`SELECT flags FROM notices WHERE id = $1`, [row.notice_id])).rows[0].flags;
    expect(flags).toEqual(['sender_not_complainant']);
    await drain(client, TEST_REDIS_URL, prefix);
    expect((await caseRow(caseId)).status).toBe('in_review');
    expect(await count(`takedowns WHERE case_id = $1`, [caseId])).toBe(0);
  });

  it('threads a reply by the case reference in its subject', async () => {
    const { caseId } = await deficientCase(`https://example.com/d/${uniqueId()}`);
    const reference = (await client.query(`SELECT reference FROM cases WHERE id = $1`, [caseId])).rows[0].reference;
    const id = messageId();
    await send(
      await compose({
        from: 'legal@pixelforge.test',
        to: INTAKE,
        subject: `Re: ${reference}`,
        messageId: id,
        text: 'More to follow.',
      }),
      'legal@pixelforge.test',
    );
    expect((await settled(id))[0]).toMatchObject({ status: 'parsed', case_id: caseId });
  });

  it("makes a stranger's mail naming a case reference in its subject a new case, leaving that case alone", async () => {
    const { caseId } = await deficientCase(`https://example.com/d/${uniqueId()}`);
    const before = await caseRow(caseId);
    const reference = (await client.query(`SELECT reference FROM cases WHERE id = $1`, [caseId])).rows[0].reference;
    const id = messageId();
    await send(
      await compose({
        from: 'stranger@elsewhere.test',
        to: INTAKE,
        subject: `Re: ${reference}`,
        messageId: id,
        text: 'Please stop everything on this case.',
      }),
      'stranger@elsewhere.test',
    );
    const [row] = await settled(id);
    expect(row.status).toBe('parsed');
    expect(row.case_id).not.toBe(caseId);
    expect(row.reason).toBe('flagged: names_other_case');
    expect(await count(`notices WHERE case_id = $1`, [caseId])).toBe(1);
    await drain(client, TEST_REDIS_URL, prefix);
    expect((await caseRow(caseId)).status).toBe(before.status);
    const named = (
      await client.query(`SELECT detail FROM audit_events WHERE case_id = $1 AND action = 'notice.names_other_case'`, [
        row.case_id,
      ])
    ).rows;
    expect(named).toEqual([{ detail: { reference } }]);
  });

  it("routes the complainant's completing reply after a stranger's flagged reply to the same letter", async () => {
    const page = await createCatalogPage(client);
    const url = `https://example.com/d/${page.downloads[0].id}`;
    const { caseId, letterId } = await deficientCase(url);
    const stranger = messageId();
    await send(
      await compose({
        from: 'someone@elsewhere.test',
        to: INTAKE,
        subject: 'Re: deficiency',
        messageId: stranger,
        inReplyTo: letterId,
        text: 'Hold everything.',
      }),
      'someone@elsewhere.test',
    );
    expect((await settled(stranger))[0]).toMatchObject({
      case_id: caseId,
      reason: 'flagged: sender_not_complainant',
    });
    await drain(client, TEST_REDIS_URL, prefix);
    expect((await caseRow(caseId)).status).toBe('in_review');

    const id = messageId();
    await send(
      await compose({
        from: 'Pat Smith <legal@pixelforge.test>',
        to: INTAKE,
        subject: 'Re: your letter',
        messageId: id,
        inReplyTo: letterId,
        references: [letterId],
        text: MISSING_STATEMENTS,
      }),
      'legal@pixelforge.test',
    );
    expect((await settled(id))[0]).toMatchObject({ status: 'parsed', case_id: caseId, reason: null });
    await drain(client, TEST_REDIS_URL, prefix);
    await waitFor('the takedown', async () => (await count(`takedowns WHERE case_id = $1`, [caseId])) === 1);
    const kase = await caseRow(caseId);
    expect(kase.checklist.missing).toEqual([]);
    expect(kase.status).toBe('actioned');
    // The stranger's notice stays flagged for staff.
    expect(await count(`notices WHERE case_id = $1 AND 'sender_not_complainant' = ANY(flags)`, [caseId])).toBe(1);
  });

  it("records a reply to the uploader's letter as a counter-notice, apart from the takedown", async () => {
    const { caseId } = await deficientCase(`https://example.com/d/${uniqueId()}`);
    const letterId = `<uploader.${uniqueId()}@example.com>`;
    await client.query(
      `INSERT INTO letters (case_id, kind, dedupe_key, recipient, subject, text, html, message_id, status)
       VALUES ($1, 'uploader', $2, 'uploader@site-user.test', 'Material removed', 'Reply to this email', '', $3, 'sent')`,
      [caseId, `${caseId}:uploader:test`, letterId],
    );
    const before = await caseRow(caseId);
    const id = messageId();
    await send(
      await compose({
        from: 'Up Loader <uploader@site-user.test>',
        to: INTAKE,
        subject: 'Re: Material removed',
        messageId: id,
        inReplyTo: letterId,
        references: [letterId],
        text: [
          'The material removed was my own work at https://example.com/d/mine.',
          'I swear, under penalty of perjury, that I have a good faith belief that the material was removed as a result of mistake or misidentification.',
          'I consent to the jurisdiction of the federal district court for my address.',
          'Up Loader, 1 Main St, Springfield, +1 555 000 1111',
          '/s/ Up Loader',
        ].join('\n'),
      }),
      'uploader@site-user.test',
    );
    const [row] = await settled(id);
    expect(row).toMatchObject({ status: 'parsed', case_id: caseId, reason: 'flagged: counter_notice' });
    const notice = (await client.query(`SELECT flags, checklist FROM notices WHERE id = $1`, [row.notice_id])).rows[0];
    expect(notice.flags).toEqual(['counter_notice']);
    expect(notice.checklist.kind).toBe('counter_notice');
    await drain(client, TEST_REDIS_URL, prefix);
    const kase = await caseRow(caseId);
    expect(kase.status).toBe('in_review');
    expect(kase.kind).toBe(before.kind);
    expect(kase.checklist).toEqual(before.checklist);
    expect(kase.routed_at).toEqual(before.routed_at);
    expect(await count(`reported_links WHERE notice_id = $1`, [row.notice_id])).toBe(0);
  });

  /** A complete notice from Jane, under the Message-ID given. */
  const plainNotice = (id: string) =>
    compose({
      from: 'jane@rights-holder.test',
      to: INTAKE,
      subject: 'Notice',
      messageId: id,
      text: completeNoticeText(`https://example.com/d/${uniqueId()}`),
    });

  it('keeps one original of a message delivered over several connections at once, the rest as its duplicates', async () => {
    const id = messageId();
    const raw = await plainNotice(id);
    await Promise.all([1, 2, 3, 4, 5].map(() => send(raw)));
    const copies = await settled(id, 5);
    const originals = copies.filter((r) => r.status !== 'duplicate');
    expect(originals.map((r) => r.status)).toEqual(['parsed']);
    const duplicates = copies.filter((r) => r.status === 'duplicate');
    expect(duplicates.map((r) => r.reason)).toEqual(Array(4).fill(`duplicate of ${originals[0].id}`));
    expect(await count(`notices WHERE inbound_message_id = ANY($1::uuid[])`, [copies.map((r) => r.id)])).toBe(1);
  });

  it('makes one notice of the same message delivered twice, and two of different messages reusing a Message-ID', async () => {
    const id = messageId();
    const raw = await plainNotice(id);
    await send(raw);
    await send(raw);
    const twice = await settled(id, 2);
    expect(twice.map((r) => r.status)).toEqual(['parsed', 'duplicate']);
    expect(twice[1].reason).toBe(`duplicate of ${twice[0].id}`);
    expect(await count(`notices WHERE inbound_message_id = ANY($1::uuid[])`, [twice.map((r) => r.id)])).toBe(1);

    const reused = messageId();
    for (const n of [1, 2]) {
      await send(
        await compose({
          from: 'jane@rights-holder.test',
          to: INTAKE,
          subject: `Notice ${n}`,
          messageId: reused,
          text: completeNoticeText(`https://example.com/d/${uniqueId()}`),
        }),
      );
    }
    const both = await settled(reused, 2);
    expect(both.map((r) => r.status)).toEqual(['parsed', 'parsed']);
    expect(new Set(both.map((r) => r.case_id)).size).toBe(2);
  });

  it('refuses an unknown recipient with 550 and an oversized message with 552', async () => {
    const raw = await compose({ from: 'a@x.test', to: 'nobody@example.com', subject: 'x', text: 'x' });
    await expect(sendRaw(port, raw, { from: 'a@x.test', to: ['nobody@example.com'] })).rejects.toMatchObject({
      responseCode: 550,
    } satisfies Partial<SmtpError>);

    const before = await count('inbound_messages');
    const big = await compose({
      from: 'a@x.test',
      to: INTAKE,
      subject: 'big',
      text: 'x'.repeat(MAX_BYTES + 10),
    });
    const error = (await send(big, 'a@x.test').catch((e: SmtpError) => e)) as SmtpError;
    expect(error.responseCode).toBe(552);
    expect(error.response).toContain(String(MAX_BYTES));
    expect(await count('inbound_messages')).toBe(before);
  });

  it('quarantines malformed MIME and a message over the parts limit, keeping them raw with the reason', async () => {
    const id = messageId();
    await send(
      Buffer.from(
        `From: a@x.test\r\nTo: ${INTAKE}\r\nMessage-ID: ${id}\r\nSubject: broken\r\nContent-Type: multipart/mixed\r\n\r\nno boundary\r\n`,
      ),
      'a@x.test',
    );
    const [broken] = await settled(id);
    expect(broken).toMatchObject({ status: 'quarantined', case_id: null });
    expect(broken.reason).toMatch(/malformed MIME: multipart\/mixed without a boundary/);

    const many = messageId();
    await send(
      await compose({
        from: 'a@x.test',
        to: INTAKE,
        subject: 'many',
        messageId: many,
        text: 'see attached',
        attachments: Array.from({ length: 120 }, (_, i) => ({ filename: `f${i}.bin`, content: Buffer.from([i]) })),
      }),
      'a@x.test',
    );
    const [limited] = await settled(many);
    expect(limited).toMatchObject({ status: 'quarantined', case_id: null });
    expect(limited.reason).toMatch(/more than 100 MIME parts/);
    expect(
      (await client.query(`SELECT size_bytes > 0 AS kept FROM inbound_messages WHERE id = $1`, [limited.id])).rows[0]
        .kept,
    ).toBe(true);

    // Staff see them, with the reason, from the command line until the triage UI lists them.
    const out: string[] = [];
    const io = { out: (l: string) => out.push(l), err: (l: string) => out.push(l) };
    expect(await runCli(['inbound', '--status', 'quarantined', '--limit', '1000'], io)).toBe(0);
    const listed = out.map((l) => JSON.parse(l) as { id: string; reason: string });
    expect(listed).toContainEqual(expect.objectContaining({ id: limited.id, reason: limited.reason }));
    out.length = 0;
    expect(await runCli(['inbound', '--raw', broken.id], io)).toBe(0);
    expect(out.join('')).toContain('multipart/mixed');
  });

  it('ignores auto-replies, bounces and our own letters coming back', async () => {
    const auto = messageId();
    await send(
      await compose({
        from: 'jane@rights-holder.test',
        to: INTAKE,
        subject: 'Out of office',
        messageId: auto,
        headers: { 'Auto-Submitted': 'auto-replied' },
        text: 'I am away.',
      }),
    );
    const bounce = messageId();
    await send(
      await compose({
        from: 'Mail Delivery System <MAILER-DAEMON@mx.test>',
        to: INTAKE,
        subject: 'Undelivered Mail',
        messageId: bounce,
        text: 'Delivery failed.',
      }),
      '',
    );
    const own = messageId();
    await send(
      await compose({
        from: 'dmca@example.com',
        to: INTAKE,
        subject: 'Your notice',
        messageId: own,
        headers: { 'X-Takedown-Case': 'DMCA-2026-000001' },
        text: 'Receipt.',
      }),
      'dmca@example.com',
    );
    expect((await settled(auto))[0]).toMatchObject({
      status: 'ignored',
      reason: 'auto-reply: Auto-Submitted: auto-replied',
      case_id: null,
    });
    expect((await settled(bounce))[0]).toMatchObject({ status: 'ignored', reason: 'bounce: empty envelope sender' });
    expect((await settled(own))[0]).toMatchObject({
      status: 'ignored',
      reason: 'our own letter: X-Takedown-Case header',
    });
  });

  it("ignores a message that carries one of our letters' Message-ID, without our header", async () => {
    const url = `https://example.com/d/${(await createCatalogPage(client)).downloads[0].id}`;
    const { letterId: ours } = await deficientCase(url);
    // Our letter, come back through a forwarder that kept its Message-ID and dropped our header.
    await send(
      await compose({
        from: 'jane@rights-holder.test',
        to: INTAKE,
        subject: 'Fwd: your notice',
        messageId: ours,
        text: 'See below.',
      }),
    );
    expect((await settled(ours))[0]).toMatchObject({
      status: 'ignored',
      reason: 'our own letter: its Message-ID is one of ours',
      case_id: null,
    });
  });

  it('flags a notice that fails DMARC and holds its case for review', async () => {
    // Parsed here, by this file's worker and its fixed DNS zone: test files share the outbox, so a message sent
    // through the listener may be parsed by another file's worker, whose resolver knows nothing of the strict domain.
    const id = messageId();
    const url = `https://example.com/d/${(await createCatalogPage(client)).downloads[0].id}`;
    const sender = `ceo@${DMARC_REJECT_DOMAIN}`;
    const message = await compose({
      from: sender,
      to: INTAKE,
      subject: 'Notice',
      messageId: id,
      text: completeNoticeText(url, 'Chief Executive', sender),
    });
    const trace = receivedHeader({
      helo: 'client.test',
      clientHostname: 'client.test',
      ip: '192.0.2.10',
      by: 'intake.test',
      id: 'T1',
      date: new Date(),
    });
    const { rows } = await client.query(
      `INSERT INTO inbound_messages (channel, raw, size_bytes, content_hash, message_id, envelope_from, envelope_to)
       VALUES ('smtp', $1, $2, 'test', $3, $4, $5) RETURNING id`,
      [Buffer.concat([Buffer.from(trace), message]), message.length, id, sender, [INTAKE]],
    );
    await worker.get(InboundParserService, { strict: false }).parse(rows[0].id);

    const [row] = await settled(id);
    expect(row).toMatchObject({ status: 'parsed', reason: 'flagged: dmarc_fail' });
    const notice = (await client.query(`SELECT auth, flags FROM notices WHERE id = $1`, [row.notice_id])).rows[0];
    expect(notice.flags).toEqual(['dmarc_fail']);
    expect(notice.auth).toMatchObject({ spf: 'fail', dmarc: 'fail', dmarcPolicy: 'reject', clientIp: '192.0.2.10' });
    await drain(client, TEST_REDIS_URL, prefix);
    const kase = await caseRow(row.case_id as string);
    expect(kase.checklist.complete).toBe(true);
    await waitFor('the case to be routed', async () => (await caseRow(row.case_id as string)).routed_at !== null);
    expect((await caseRow(row.case_id as string)).status).toBe('in_review');
    expect(await count(`takedowns WHERE case_id = $1`, [row.case_id])).toBe(0);
    expect(await count(`letters WHERE case_id = $1`, [row.case_id])).toBe(0);
  });

  it('ignores a stored message whose sender was erased before it was parsed, and parses one that was not', async () => {
    const vault = worker.get(PersonalData, { strict: false });
    const dataSource = worker.get(DataSource, { strict: false });
    // Stored here, sealed under its sender's subject, with no parse job: this file's parser takes it up alone.
    const store = async (sender: string) => {
      const id = messageId();
      const url = `https://example.com/d/${(await createCatalogPage(client)).downloads[0].id}`;
      const message = await compose({
        from: sender,
        to: INTAKE,
        subject: 'Notice',
        messageId: id,
        text: completeNoticeText(url, 'Counsel', sender),
      });
      const { subjectId, row } = await dataSource.transaction(async (m) => {
        const subjectId = await vault.subject(m, sender);
        const [row] = await m.query<{ id: string }[]>(
          `INSERT INTO inbound_messages (channel, raw, size_bytes, content_hash, message_id, envelope_from,
                                         envelope_to, subject_id)
           VALUES ('smtp', $1, $2, 'test', $3, $4, $5, $6) RETURNING id`,
          [
            await vault.sealBuffer(m, subjectId, message),
            message.length,
            id,
            await vault.seal(m, subjectId, sender),
            [INTAKE],
            subjectId,
          ],
        );
        return { subjectId, row };
      });
      return { id, subjectId, inboundId: row.id };
    };
    const erased = await store(`erased-${uniqueId()}@rights.example.org`);
    const kept = await store(`kept-${uniqueId()}@rights.example.org`);
    await dataSource.transaction((m) => vault.erase(m, [erased.subjectId]));

    const parser = worker.get(InboundParserService, { strict: false });
    await parser.parse(erased.inboundId);
    await parser.parse(kept.inboundId);
    expect((await settled(erased.id))[0]).toMatchObject({
      status: 'ignored',
      reason: 'erased before it was parsed',
      notice_id: null,
    });
    expect((await settled(kept.id))[0]).toMatchObject({ status: 'parsed' });
  });

  describe('the raw-MIME webhook', () => {
    const post = (raw: Buffer, signature?: string) =>
      fetch(`${api.url}/api/v1/inbound/email`, {
        method: 'POST',
        headers: { 'content-type': 'message/rfc822', ...(signature ? { 'x-inbound-signature': signature } : {}) },
        body: raw,
      });
    const sign = (raw: Buffer) => `sha256=${createHmac('sha256', SECRET).update(raw).digest('hex')}`;

    it('answers 202 with the stored id for a good signature, and the worker makes a case', async () => {
      const id = messageId();
      const raw = await compose({
        from: 'jane@rights-holder.test',
        to: INTAKE,
        subject: 'Notice',
        messageId: id,
        text: completeNoticeText(`https://example.com/d/${uniqueId()}`),
      });
      const res = await post(raw, sign(raw));
      expect(res.status).toBe(202);
      const body = (await res.json()) as { id: string; status: string };
      expect(body.status).toBe('stored');
      const [row] = await settled(id);
      expect(row).toMatchObject({ id: body.id, channel: 'webhook', status: 'parsed' });
      expect(row.case_id).not.toBeNull();
      const auth = (await client.query(`SELECT auth FROM notices WHERE id = $1`, [row.notice_id])).rows[0].auth;
      expect(auth.source).toBe('none'); // no Received header: DKIM and DMARC only
    });

    it('answers 401 to a bad or missing signature and stores nothing', async () => {
      const id = messageId();
      const raw = await compose({ from: 'a@x.test', to: INTAKE, subject: 'x', messageId: id, text: 'x' });
      expect((await post(raw, sign(Buffer.from('something else')))).status).toBe(401);
      expect((await post(raw)).status).toBe(401);
      expect((await post(raw, 'sha256=zz')).status).toBe(401);
      expect(await count(`inbound_messages WHERE message_id = $1`, [id])).toBe(0);
    });

    it('answers 413 over the size limit', async () => {
      const raw = Buffer.alloc(MAX_BYTES + 1, 'a');
      expect((await post(raw, sign(raw))).status).toBe(413);
    });
  });
});
