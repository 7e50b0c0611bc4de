import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { ExpressAdapter, type NestExpressApplication } from '@nestjs/platform-express';
import { Test, type TestingModule } from '@nestjs/testing';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import type { Client } from 'pg';
import { AppModule } from '../src/app.module';
import { appConfig } from '../src/core/config';
import { AppLogger } from '../src/core/logging/app-logger';
import { MAIL_DNS_RESOLVER } from '../src/email-intake/sender-auth.service';
import { configureHttpApp } from '../src/http-app';
import { WorkerModule } from '../src/worker.module';
import { isolatedDatabase, isolatedDatabaseUrl } from './support/database';
import { applyTestEnv, TEST_REDIS_URL } from './support/env';
import { completeNotice, createCatalogPage, postJson } from './support/factories';
import { drain, uniqueId, uniquePrefix, waitFor } from './support/harness';
import { compose, fakeResolver, freePort, sendRaw } from './support/mail-fixtures';
import { openedBytes, openedRows } from './support/sealed';
import { SmtpSink } from './support/smtp-sink';

jest.setTimeout(120_000);

// Its own database: this file's worker sends mail, and must neither take other files' letters nor leave them its own.
const DATABASE_URL = isolatedDatabaseUrl('logprivacy');
const INTAKE = 'dmca@example.com';

/** People whose details no log line may carry: each value distinctive enough that finding it anywhere is a leak. */
const API_SENDER = {
  name: 'Philippa Quarrington',
  email: 'p.quarrington@vexley-rights.example',
  phone: '+1 (555) 014-7788',
  address: '77 Zanzibar Crescent, Quillington QX9 4ZZ',
  company: 'Vexley Rights Bureau',
};
const UPLOADER_EMAIL = 'zebediah.uploads@uploader-mail.example';
const MAIL_SENDER = {
  name: 'Bartholomew Quince',
  email: 'b.quince@quince-legal.test',
  phone: '+44 20 7946 0958',
  address: '12 Thistlewick Lane, Brackenbury',
};
const REFUSED = { name: 'Ottoline Wrexham', email: 'o.wrexham@wrexham-refused.example' };
const BAD_REQUEST_EMAIL = 'd.fenwhistle@fenwhistle-bad.example';
const METRIC_LABELS = ['channel', 'flag', 'kind', 'quantile', 'queue', 'state', 'status'];

const SECRET_VALUES = [
  ...Object.values(API_SENDER),
  ...API_SENDER.name.split(' '),
  '014-7788',
  'Zanzibar',
  UPLOADER_EMAIL,
  'zebediah',
  ...Object.values(MAIL_SENDER),
  ...MAIL_SENDER.name.split(' '),
  '7946 0958',
  'Thistlewick',
  ...Object.values(REFUSED),
  'wrexham',
  BAD_REQUEST_EMAIL,
  'fenwhistle',
].map((v) => v.toLowerCase());

describe('logs of a run that handles personal data carry none of it', () => {
  const prefix = uniquePrefix();
  const sink = new SmtpSink();
  const dir = mkdtempSync(path.join(tmpdir(), 'takedown-logs-'));
  const logFile = path.join(dir, 'takedown.log');
  const written: string[] = [];
  const spies: jest.SpyInstance[] = [];
  let client: Client;
  let api: NestExpressApplication;
  let apiUrl: string;
  let worker: TestingModule;
  let smtpPort: number;

  beforeAll(async () => {
    client = await isolatedDatabase('logprivacy');
    await sink.start();
    smtpPort = await freePort();
    applyTestEnv({
      DATABASE_URL,
      QUEUE_PREFIX: prefix,
      SMTP_URL: sink.url,
      SMTP_LISTEN_PORT: String(smtpPort),
      SMTP_LISTEN_HOST: '127.0.0.1',
      INBOUND_ADDRESSES: INTAKE,
      LOG_LEVEL: 'debug',
      LOG_FILE: logFile,
    });
    // Whatever reaches standard output or error besides the logger (a library's own console output) is read too.
    for (const stream of [process.stdout, process.stderr]) {
      const write = stream.write.bind(stream);
      spies.push(
        jest.spyOn(stream, 'write').mockImplementation(((chunk: unknown, ...rest: never[]) => {
          written.push(String(chunk));
          return write(chunk as string, ...rest);
        }) as typeof stream.write),
      );
    }
    // As main.ts and worker.ts make it: from LOG_LEVEL and LOG_FILE, given to Nest before anything logs.
    const { logLevel, logFile: file } = appConfig();
    const logger = AppLogger.create({ level: logLevel, file });
    api = await NestFactory.create<NestExpressApplication>(AppModule, new ExpressAdapter(), {
      bodyParser: false,
      rawBody: true,
      logger,
    });
    configureHttpApp(api);
    await api.listen(0, '127.0.0.1');
    apiUrl = `http://127.0.0.1:${(api.getHttpServer().address() as AddressInfo).port}`;
    // The real worker with the SMTP listener; DNS for SPF, DKIM and DMARC from the fixed zone, not the network.
    worker = await Test.createTestingModule({ imports: [WorkerModule] })
      .overrideProvider(MAIL_DNS_RESOLVER)
      .useValue(fakeResolver)
      .setLogger(logger)
      .compile();
    worker.useLogger(logger);
    await worker.init();
  });

  afterAll(async () => {
    for (const spy of spies) spy.mockRestore();
    await worker?.close();
    await api?.close();
    await sink.stop();
    await client?.end();
    rmSync(dir, { recursive: true, force: true });
  });

  const letters = async (caseId: string): Promise<{ id: string; kind: string; status: string }[]> =>
    (await client.query(`SELECT id, kind, status FROM letters WHERE case_id = $1 ORDER BY created_at`, [caseId])).rows;

  /** Waits until none of the case's letters waits to be sent, and there are at least `count`. */
  const settledLetters = (caseId: string, count: number) =>
    waitFor(`${count} settled letter(s) of case ${caseId}`, async () => {
      const rows = await letters(caseId);
      return rows.length >= count && rows.every((l) => l.status !== 'queued') ? rows : undefined;
    });

  it('writes valid JSON lines with ids, and no email, name, phone or address, while each went through', async () => {
    // 1. A notice by the JSON API against one of our downloads: receipt and takedown letters to the sender, and the
    // uploader's letter, which names the sender.
    const page = await createCatalogPage(client, { uploaderEmail: UPLOADER_EMAIL });
    const filed = await postJson(
      apiUrl,
      '/api/v1/notices',
      completeNotice([`https://example.com/d/${page.downloads[0].id}`], {
        complainant: { ...API_SENDER, role: 'agent', ownerName: API_SENDER.company },
        signature: API_SENDER.name,
      }),
    );
    expect(filed.status).toBe(201);
    const apiLetters = await settledLetters(filed.body.caseId, 3);
    expect(apiLetters.map((l) => l.kind)).toEqual(expect.arrayContaining(['receipt', 'takedown_done', 'uploader']));
    expect(apiLetters.every((l) => l.status === 'sent')).toBe(true);

    // 2. A notice by email, through the SMTP listener.
    const messageId = `<${uniqueId()}@mail.test>`;
    await sendRaw(
      smtpPort,
      await compose({
        from: `${MAIL_SENDER.name} <${MAIL_SENDER.email}>`,
        to: INTAKE,
        subject: 'Copyright infringement notice',
        messageId,
        text: [
          'I am the author of the novel "The Long Road", published at https://author.example/long-road.',
          `An unauthorized copy is posted at https://pirate-mirror.example/long-road-${uniqueId()}.pdf`,
          `You can reach me at ${MAIL_SENDER.email}, by phone at ${MAIL_SENDER.phone}, or at ${MAIL_SENDER.address}.`,
          'I have a good faith belief that use of the copyrighted materials described above is not authorized by the copyright owner, its agent, or the law.',
          'I swear, under penalty of perjury, that the information in this notification is accurate and that I am the copyright owner, or am authorized to act on behalf of the owner.',
          MAIL_SENDER.name,
        ].join('\n'),
      }),
      { from: MAIL_SENDER.email, to: [INTAKE] },
    );
    const inbound = await waitFor('the email notice to be parsed', async () => {
      const { rows } = await client.query(
        `SELECT id, status, case_id, raw FROM inbound_messages WHERE message_id = $1 AND status <> 'stored'`,
        [messageId],
      );
      return rows[0];
    });
    expect(inbound.status).toBe('parsed');
    const mailLetters = await settledLetters(inbound.case_id, 1);
    expect(mailLetters.every((l) => l.status === 'sent')).toBe(true);

    // 3. A sender whose server refuses the address at RCPT TO, quoting it: the letter fails, and that is logged.
    sink.mode = 'reject-rcpt';
    const refused = await postJson(
      apiUrl,
      '/api/v1/notices',
      completeNotice([`https://unrelated-site.example/${uniqueId()}`], {
        complainant: { ...REFUSED, role: 'owner' },
        signature: REFUSED.name,
      }),
    );
    expect(refused.status).toBe(201);
    const [failed] = await settledLetters(refused.body.caseId, 1);
    expect(failed.status).toBe('failed');
    sink.mode = 'accept';

    // 4. Bad requests that carry an address: malformed JSON, and a field the API does not know.
    const malformed = await postJson(
      apiUrl,
      '/api/v1/notices',
      `{"complainant": {"name": "D Fenwhistle", "email": "${BAD_REQUEST_EMAIL}"`,
    );
    expect(malformed.status).toBe(400);
    const unknown = await postJson(apiUrl, '/api/v1/notices', {
      ...completeNotice(['https://example.com/d/1']),
      contactEmail: BAD_REQUEST_EMAIL,
    });
    expect(unknown.status).toBe(400);

    // 5. The metrics: labels are states, channels and job names, never a value from a notice.
    const metrics = await (await fetch(`${apiUrl}/metrics`)).text();
    expect(metrics).toContain('takedown_desk_notices{channel="email"}');
    const labels = new Set([...metrics.matchAll(/[{,]([a-z_]+)="/g)].map((m) => m[1]));
    expect([...labels].filter((l) => !METRIC_LABELS.includes(l))).toEqual([]);

    await drain(client, TEST_REDIS_URL, prefix);

    // The values did go through the system: in the mail the sink took, the refusals it made, and the rows kept.
    const uploaderMail = sink.to(UPLOADER_EMAIL);
    expect(uploaderMail).toHaveLength(1);
    expect(uploaderMail[0].parsed.text).toContain(API_SENDER.name);
    expect(uploaderMail[0].parsed.text).toContain(API_SENDER.company);
    expect(sink.to(API_SENDER.email).length).toBeGreaterThanOrEqual(2);
    expect(sink.to(MAIL_SENDER.email).length).toBeGreaterThanOrEqual(1);
    expect(sink.rcptRefused).toContain(REFUSED.email);
    const [party] = await openedRows(
      client,
      (
        await client.query(`SELECT name, phone, address FROM parties WHERE case_id = $1 AND role = 'complainant'`, [
          filed.body.caseId,
        ])
      ).rows,
      ['name', 'phone', 'address'],
    );
    expect(party).toEqual({ name: API_SENDER.name, phone: API_SENDER.phone, address: API_SENDER.address });
    const raw = (await openedBytes(client, inbound.raw as Buffer))!.toString('latin1');
    for (const value of Object.values(MAIL_SENDER)) expect(raw).toContain(value);

    // The log: JSON lines, from the paths that handled those values, naming ids instead.
    const text = readFileSync(logFile, 'utf8');
    const lines = text
      .split('\n')
      .filter((l) => l !== '')
      .map((l) => JSON.parse(l) as { level: string; time: string; context?: string; msg?: string });
    expect(lines.length).toBeGreaterThan(10);
    for (const line of lines)
      expect(line).toEqual(expect.objectContaining({ level: expect.any(String), time: expect.any(String) }));
    expect(lines).toContainEqual(
      expect.objectContaining({ context: 'SmtpListenerService', msg: expect.stringContaining(`stored ${inbound.id}`) }),
    );
    expect(lines).toContainEqual(
      expect.objectContaining({
        level: 'warn',
        context: 'LetterSenderService',
        event: 'letter.failed',
        letterId: failed.id,
        msg: expect.stringMatching(new RegExp(`^Letter ${failed.id} \\(${refused.body.reference}\\) failed: .*550`)),
      }),
    );

    const everything = [text, metrics, ...written].join('\n').toLowerCase();
    for (const value of SECRET_VALUES)
      expect({ value, found: everything.includes(value) }).toEqual({ value, found: false });
  });
});
