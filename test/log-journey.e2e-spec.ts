import 'reflect-metadata';
import type { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { ExpressAdapter, type NestExpressApplication } from '@nestjs/platform-express';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import type { Client } from 'pg';
import { AppModule } from '../src/app.module';
import { appConfig } from '../src/core/config';
import { AppLogger } from '../src/core/logging/app-logger';
import { LogEvent } from '../src/core/logging/log-event';
import { configureHttpApp } from '../src/http-app';
import { WorkerModule } from '../src/worker.module';
import { isolatedDatabase, isolatedDatabaseUrl } from './support/database';
import { applyTestEnv, TEST_REDIS_URL } from './support/env';
import { completeNotice, createCatalogPage } from './support/factories';
import { drain, uniqueId, uniquePrefix, waitFor } from './support/harness';
import { SmtpSink } from './support/smtp-sink';
import { createStaff } from './support/staff';

jest.setTimeout(120_000);

// Its own database: its worker sends mail and sweeps, and the lines it reads must be of its own notice alone.
const DATABASE_URL = isolatedDatabaseUrl('logjourney');

interface Line {
  level: string;
  msg?: string;
  context?: string;
  event?: string;
  requestId?: string;
  caseId?: string;
  letterId?: string;
  [field: string]: unknown;
}

/**
 * One notice's journey through the API and the worker, as `main.ts` and `worker.ts` log it (LOG_LEVEL=log, JSON
 * lines to LOG_FILE): one line when it is received, one when its case is routed, one per letter sent, one when its
 * takedown is done and one when staff's restoration is carried out, each naming the case; and the request's id on
 * what the API wrote while handling it.
 */
describe("a notice's journey in the log", () => {
  const prefix = uniquePrefix();
  const sink = new SmtpSink();
  const dir = mkdtempSync(path.join(tmpdir(), 'takedown-journey-'));
  const logFile = path.join(dir, 'takedown.log');
  let client: Client;
  let api: NestExpressApplication;
  let apiUrl: string;
  let worker: INestApplicationContext;

  beforeAll(async () => {
    client = await isolatedDatabase('logjourney');
    await sink.start();
    applyTestEnv({
      DATABASE_URL,
      QUEUE_PREFIX: prefix,
      SMTP_URL: sink.url,
      SWEEP_EVERY_SECONDS: '1',
      LOG_LEVEL: 'log',
      LOG_FILE: logFile,
    });
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
    worker = await NestFactory.createApplicationContext(WorkerModule, { logger });
    await worker.init();
  });

  afterAll(async () => {
    await worker?.close();
    await api?.close();
    await sink.stop();
    await client?.end();
    rmSync(dir, { recursive: true, force: true });
  });

  const post = (body: unknown, headers: Record<string, string> = {}) =>
    fetch(`${apiUrl}/api/v1/notices`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify(body),
    });

  const lines = (): Line[] =>
    readFileSync(logFile, 'utf8')
      .split('\n')
      .filter((l) => l !== '')
      .map((l) => JSON.parse(l) as Line);

  it('writes one line per event, with ids, and the request id on the lines of the request', async () => {
    const requestId = `journey-${uniqueId()}`;
    const page = await createCatalogPage(client, { uploaderEmail: `uploader-${uniqueId()}@uploads.example` });
    const res = await post(
      completeNotice([`https://example.com/d/${page.downloads[0].id}`], {
        complainant: {
          name: 'Jane Roe',
          email: `jane-${uniqueId()}@rights-holder.example.org`,
          role: 'agent',
          ownerName: 'Acme Software Ltd',
        },
      }),
      { 'X-Request-Id': requestId },
    );
    expect(res.status).toBe(201);
    expect(res.headers.get('x-request-id')).toBe(requestId);
    const { caseId, reference } = (await res.json()) as { caseId: string; reference: string };

    const link = await waitFor('the link to be taken down', async () => {
      const { rows } = await client.query<{ id: string }>(
        `SELECT id FROM reported_links WHERE case_id = $1 AND status = 'taken_down'`,
        [caseId],
      );
      return rows[0];
    });
    const legal = await createStaff(client, 'legal');
    const restored = await fetch(`${apiUrl}/api/v1/staff/cases/${reference}/restore`, {
      method: 'POST',
      headers: { authorization: `Bearer ${legal.token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ linkIds: [link.id], reason: 'The uploader showed a licence' }),
    });
    expect(restored.status).toBe(200);
    await waitFor('the restoration to be carried out', async () => {
      const { rowCount } = await client.query(
        `SELECT 1 FROM audit_events WHERE case_id = $1 AND action = 'takedowns.restored'`,
        [caseId],
      );
      return rowCount! > 0;
    });
    await drain(client, TEST_REDIS_URL, prefix);
    const letters = await waitFor('every letter of the case to be sent', async () => {
      const { rows } = await client.query<{ id: string; status: string }>(
        `SELECT id, status FROM letters WHERE case_id = $1`,
        [caseId],
      );
      return rows.length >= 3 && rows.every((l) => l.status === 'sent') ? rows : undefined;
    });

    const ours = lines().filter((l) => l.caseId === caseId);
    const events = (event: LogEvent) => ours.filter((l) => l.event === event);
    expect(events(LogEvent.NoticeReceived)).toEqual([
      expect.objectContaining({
        level: 'info',
        context: 'IntakeService',
        requestId,
        noticeId: expect.any(String),
        channel: 'api',
        reference,
        links: 2, // the download, and the work's own page
      }),
    ]);
    expect(events(LogEvent.CaseRouted)).toEqual([
      expect.objectContaining({ level: 'info', context: 'CaseRouterService', reference, outcome: 'routed' }),
    ]);
    expect(events(LogEvent.TakedownDone)).toEqual([
      expect.objectContaining({ level: 'info', reference, done: 1, notFound: 0, takedowns: 1 }),
    ]);
    expect(events(LogEvent.RestorationDone)).toEqual([
      expect.objectContaining({ level: 'info', restoration: expect.any(String), restored: 1, putBack: 1 }),
    ]);
    const sent = events(LogEvent.LetterSent);
    expect(sent.map((l) => l.letterId).sort()).toEqual(letters.map((l) => l.id).sort());
    expect(sent.every((l) => l.level === 'info' && l.reference === reference)).toBe(true);
    expect([...events(LogEvent.LetterFailed), ...events(LogEvent.TakedownFailed)]).toEqual([]);
    // The worker's lines are not the request's; the API's restore request has an id of its own.
    expect(ours.filter((l) => l.requestId === requestId).map((l) => l.event)).toEqual([LogEvent.NoticeReceived]);
  });

  it('makes up an id when the caller sends none, or one that is not a plain token', async () => {
    for (const given of [undefined, 'has spaces in it', 'x'.repeat(200), 'short']) {
      const res = await fetch(`${apiUrl}/health/live`, { headers: given ? { 'X-Request-Id': given } : {} });
      expect(res.headers.get('x-request-id')).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    }
  });
});
