import 'reflect-metadata';
import type { TestingModule } from '@nestjs/testing';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import Redis from 'ioredis';
import type { Client } from 'pg';
import { DataSource } from 'typeorm';
import { AppLogger } from '../src/core/logging/app-logger';
import { ErasureService } from '../src/privacy/erasure.service';
import { CatalogImportService } from '../src/site/catalog-import.service';
import { freshDatabase, isolatedDatabaseUrl } from './support/database';
import { TEST_REDIS_URL } from './support/env';
import { completeNotice, postJson } from './support/factories';
import { drain, type RunningApi, startApi, startMailWorker, uniqueId, uniquePrefix, waitFor } from './support/harness';
import { compose, freePort, sendRaw } from './support/mail-fixtures';
import { opened } from './support/sealed';
import { SmtpSink } from './support/smtp-sink';
import { createStaff } from './support/staff';

jest.setTimeout(180_000);

// Its own database, made afresh: the whole database is dumped and searched, so no other run's rows may be in it.
const SUFFIX = 'erasure';
const DATABASE_URL = isolatedDatabaseUrl(SUFFIX);
const INTAKE = 'dmca@example.com';

/** The person who asks to be erased: a complainant by the API and by email, and an uploader in the catalog. */
const PERSON = {
  name: 'Evangeline Thistlewaite',
  email: 'evangeline.thistlewaite@quorvex-media.example',
  phone: '+1 (555) 013-8842',
  address: '41 Marrowgate Row, Pellinford',
};
const OTHER = { name: 'Rufus Okonkwo', email: 'rufus@okonkwo-rights.example' };
const NEEDLES = [PERSON.email, PERSON.name, 'Thistlewaite', PERSON.phone, '013-8842', 'Marrowgate'];

function findNeedles(haystack: string): string[] {
  const lower = haystack.toLowerCase();
  return NEEDLES.filter((n) => lower.includes(n.toLowerCase()));
}

/** The database as pg_dump writes it, with every bytea value decoded too (raw mail and attachments are bytea). */
function dumpDatabase(url: string): string {
  const text = execFileSync('pg_dump', ['--data-only', '--no-owner', url], { maxBuffer: 512 * 1024 * 1024 }).toString(
    'utf8',
  );
  const bytes = [...text.matchAll(/\\\\x([0-9a-f]+)/g)].map((m) => Buffer.from(m[1], 'hex').toString('latin1'));
  return [text, ...bytes].join('\n');
}

async function dumpRedis(prefix: string): Promise<string> {
  const redis = new Redis(TEST_REDIS_URL);
  const out: string[] = [];
  try {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 500);
      cursor = next;
      for (const key of keys) {
        const type = await redis.type(key);
        out.push(key);
        if (type === 'string') out.push((await redis.get(key)) ?? '');
        else if (type === 'hash') out.push(JSON.stringify(await redis.hgetall(key)));
        else if (type === 'list') out.push(JSON.stringify(await redis.lrange(key, 0, -1)));
        else if (type === 'set') out.push(JSON.stringify(await redis.smembers(key)));
        else if (type === 'zset') out.push(JSON.stringify(await redis.zrange(key, 0, -1)));
        else if (type === 'stream') out.push(JSON.stringify(await redis.xrange(key, '-', '+')));
      }
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
  return out.join('\n');
}

describe('erasure on request: a person who sent notices by the API and by email and uploaded to the catalog', () => {
  const prefix = uniquePrefix();
  const sink = new SmtpSink();
  const logDir = mkdtempSync(path.join(tmpdir(), 'takedown-erasure-'));
  const logFile = path.join(logDir, 'run.log');
  let client: Client;
  let running: RunningApi;
  let api: RunningApi['app'];
  let apiUrl: string;
  let worker: TestingModule;
  let smtpPort: number;

  beforeAll(async () => {
    client = await freshDatabase(SUFFIX);
    await sink.start();
    smtpPort = await freePort();
    const env = {
      DATABASE_URL,
      QUEUE_PREFIX: prefix,
      SMTP_URL: sink.url,
      SMTP_LISTEN_PORT: String(smtpPort),
      SMTP_LISTEN_HOST: '127.0.0.1',
      INBOUND_ADDRESSES: INTAKE,
    };
    // Everything the run logs, at its most talkative, as main.ts and worker.ts would write it.
    const logger = AppLogger.create({ level: 'debug', file: logFile });
    running = await startApi({ ...env, LOG_FILE: logFile }, { logger });
    api = running.app;
    apiUrl = running.url;
    worker = await startMailWorker({ ...env, LOG_FILE: logFile }, { logger });
  });

  afterAll(async () => {
    await worker?.close();
    await running?.close();
    await sink.stop();
    await client?.end();
    rmSync(logDir, { recursive: true, force: true });
  });

  const settled = (caseId: string, count: number) =>
    waitFor(`${count} settled letter(s) of case ${caseId}`, async () => {
      const { rows } = await client.query<{ status: string }>(`SELECT status FROM letters WHERE case_id = $1`, [
        caseId,
      ]);
      return rows.length >= count && rows.every((l) => l.status !== 'queued') ? rows : undefined;
    });

  it('leaves no copy of their address, phone or name anywhere, and keeps the cases whole and marked erased', async () => {
    // Their page in the catalog, and a notice from someone else against its download: their uploader's letter.
    const n = uniqueId();
    await api.get(CatalogImportService).import([
      {
        slug: `quorvex-${n}`,
        title: `Quorvex Player ${n}`,
        uploaderEmail: PERSON.email,
        links: [{ id: String(n), url: `https://files.example-mirror.org/quorvex-${n}.zip` }],
      },
    ]);
    const against = await postJson(
      apiUrl,
      '/api/v1/notices',
      completeNotice([`https://example.com/d/${n}`], {
        complainant: { ...OTHER, role: 'owner' },
        signature: OTHER.name,
      }),
    );
    expect(against.status).toBe(201);
    // Their own notice by the API, with every contact field.
    const byApi = await postJson(
      apiUrl,
      '/api/v1/notices',
      completeNotice([`https://unrelated-site.example/${uniqueId()}`], {
        complainant: { ...PERSON, role: 'owner' },
        signature: PERSON.name,
      }),
    );
    expect(byApi.status).toBe(201);
    // And one by email, with an attachment that names them too.
    const messageId = `<${uniqueId()}@mail.test>`;
    await sendRaw(
      smtpPort,
      await compose({
        from: `${PERSON.name} <${PERSON.email}>`,
        to: INTAKE,
        subject: 'Copyright infringement notice',
        messageId,
        text: [
          'I am the author of the album "Glass Harbour", published at https://quorvex-media.example/glass-harbour.',
          `An unauthorized copy is posted at https://pirate-mirror.example/glass-harbour-${uniqueId()}.zip`,
          `You can reach me at ${PERSON.email}, by phone at ${PERSON.phone}, or at ${PERSON.address}.`,
          'I have a good faith belief that use of the copyrighted materials described above is not authorized by the copyright owner, its agent, or the law.',
          'I swear, under penalty of perjury, that the information in this notification is accurate and that I am the copyright owner, or am authorized to act on behalf of the owner.',
          PERSON.name,
        ].join('\n'),
        attachments: [{ filename: 'registration.txt', content: `Registration of ${PERSON.name}, ${PERSON.phone}` }],
      }),
      { from: PERSON.email, to: [INTAKE] },
    );
    const inbound = await waitFor('the email notice to be parsed', async () => {
      const { rows } = await client.query<{ status: string; case_id: string }>(
        `SELECT status, case_id FROM inbound_messages WHERE message_id = $1 AND status <> 'stored'`,
        [messageId],
      );
      return rows[0];
    });
    expect(inbound.status).toBe('parsed');
    await settled(against.body.caseId, 3);
    await settled(byApi.body.caseId, 1);
    await settled(inbound.case_id, 1);
    await drain(client, TEST_REDIS_URL, prefix);
    expect(sink.to(PERSON.email).length).toBeGreaterThanOrEqual(3);
    const cases = [against.body.caseId, byApi.body.caseId, inbound.case_id];

    // Staff write about them: a note, and an override's reason, each naming them.
    const staff = await createStaff(client, 'legal');
    const asStaff = { authorization: `Bearer ${staff.token}` };
    const note = await postJson(
      apiUrl,
      `/api/v1/staff/cases/${byApi.body.reference}/notes`,
      { text: `Called ${PERSON.name} on ${PERSON.phone}; she confirmed.` },
      asStaff,
    );
    expect(note.status).toBeLessThan(300);
    const override = await postJson(
      apiUrl,
      `/api/v1/staff/cases/${byApi.body.reference}/overrides/elements`,
      { element: 'signature', present: true, reason: `Signed by ${PERSON.name} in her reply` },
      asStaff,
    );
    expect(override.status).toBe(200);
    // Staff's reasons for a decision about them as a notifier name them too.
    const record = await fetch(`${apiUrl}/api/v1/staff/cases/${byApi.body.reference}/notifier`, { headers: asStaff });
    const key = ((await record.json()) as { notifier: { key: string } }).notifier.key;
    const warned = await postJson(
      apiUrl,
      `/api/v1/staff/notifiers/${encodeURIComponent(key)}/warning`,
      { reason: `Spoke to ${PERSON.name}: most of her notices named free software` },
      asStaff,
    );
    expect(warned.status).toBe(200);
    await drain(client, TEST_REDIS_URL, prefix);
    await waitFor('the warning letter', () =>
      Promise.resolve(
        sink.to(PERSON.email).some((mail) => mail.parsed.subject?.includes('A warning about the notices you send')),
      ),
    );
    await drain(client, TEST_REDIS_URL, prefix);

    // Before: what is held about them, decrypted, names them; at rest it is sealed.
    const ds = api.get(DataSource);
    const erasure = api.get(ErasureService);
    const held = JSON.stringify(await erasure.export(ds.manager, PERSON.email));
    expect(findNeedles(held)).toEqual(expect.arrayContaining([PERSON.email, PERSON.name, PERSON.phone]));
    const references = [against.body.reference, byApi.body.reference, await referenceOf(inbound.case_id)];
    expect((JSON.parse(held) as { cases: { reference: string }[] }).cases.map((c) => c.reference)).toEqual(
      expect.arrayContaining(references),
    );
    const party = (
      await client.query<{ email: string }>(`SELECT email FROM parties WHERE case_id = $1 AND role = 'complainant'`, [
        byApi.body.caseId,
      ])
    ).rows[0];
    expect(party.email).not.toContain('@');
    expect(await opened(client, party.email)).toBe(PERSON.email);
    const before = await counts(cases);

    const outcome = await ds.transaction((m) => erasure.erase(m, PERSON.email, 'staff:test'));
    expect(outcome).toEqual({ status: 'done', retained: [], caseIds: expect.arrayContaining(cases) });

    // After: nothing in Postgres (text and bytea), nothing in Redis.
    expect(findNeedles(dumpDatabase(DATABASE_URL))).toEqual([]);
    expect(findNeedles(await dumpRedis(prefix))).toEqual([]);
    // Nor in what the run logged (which is not nothing).
    const logged = readFileSync(logFile, 'utf8');
    expect(logged.split('\n').length).toBeGreaterThan(5);
    expect(findNeedles(logged)).toEqual([]);
    // The cases, their links and the audit log are whole (the log one event longer per case), the person erased.
    const after = await counts(cases);
    expect(after.cases).toBe(before.cases);
    expect(after.links).toBe(before.links);
    expect(after.audit).toBe(before.audit + cases.length);
    const page = await (
      await fetch(`${apiUrl}/staff/cases/${byApi.body.reference}`, {
        headers: { authorization: `Bearer ${staff.token}` },
      })
    ).text();
    expect(page).toContain('[erased]');
    expect(findNeedles(page)).toEqual([]);
    expect(await erasure.holdsAnything(ds.manager, PERSON.email)).toBe(false);
    // The other complainant's case still reads their own details.
    const otherParty = (
      await client.query<{ email: string }>(`SELECT email FROM parties WHERE case_id = $1`, [against.body.caseId])
    ).rows[0];
    expect(await opened(client, otherParty.email)).toBe(OTHER.email);
  });

  it('keeps what a legal hold covers, tells the requester what and why, and erases the rest', async () => {
    const n = uniqueId();
    const person = { name: `Marisol Quenby ${n}`, email: `marisol.quenby.${n}@held-rights.example` };
    const file = async () => {
      const res = await postJson(
        apiUrl,
        '/api/v1/notices',
        completeNotice([`https://unrelated-site.example/${uniqueId()}`], {
          complainant: { ...person, role: 'owner' },
          signature: person.name,
        }),
      );
      expect(res.status).toBe(201);
      return res.body as { caseId: string; reference: string };
    };
    const held = await file();
    const free = await file();
    await client.query(
      `INSERT INTO legal_holds (case_id, kind, reason, set_by) VALUES ($1, 'preservation', 'a 512(f) claim', 'staff')`,
      [held.caseId],
    );
    const ds = api.get(DataSource);
    const outcome = await ds.transaction((m) => api.get(ErasureService).erase(m, person.email, 'staff:test'));
    expect(outcome.status).toBe('partially_retained');
    expect(outcome.retained).toEqual([
      {
        what: expect.stringContaining(held.reference),
        why: expect.any(String),
        reference: held.reference,
        hold: 'preservation',
      },
    ]);
    const emailOf = async (caseId: string) =>
      opened(
        client,
        (await client.query<{ email: string }>(`SELECT email FROM parties WHERE case_id = $1`, [caseId])).rows[0].email,
      );
    expect(await emailOf(held.caseId)).toBe(person.email);
    expect(await emailOf(free.caseId)).toBe('[erased]');
    const { rows } = await client.query<{ case_id: string; detail: { retained: boolean } }>(
      `SELECT case_id, detail FROM audit_events WHERE action = 'privacy.erased' AND case_id = ANY($1::uuid[])`,
      [[held.caseId, free.caseId]],
    );
    expect(rows.map((r) => [r.case_id, r.detail.retained]).sort()).toEqual(
      [
        [held.caseId, true],
        [free.caseId, false],
      ].sort(),
    );
  });

  async function referenceOf(caseId: string): Promise<string> {
    return (await client.query<{ reference: string }>(`SELECT reference FROM cases WHERE id = $1`, [caseId])).rows[0]
      .reference;
  }

  async function counts(caseIds: string[]): Promise<{ cases: number; links: number; audit: number }> {
    const { rows } = await client.query<{ cases: number; links: number; audit: number }>(
      `SELECT (SELECT count(*)::int FROM cases WHERE id = ANY($1::uuid[])) AS cases,
              (SELECT count(*)::int FROM reported_links WHERE case_id = ANY($1::uuid[])) AS links,
              (SELECT count(*)::int FROM audit_events WHERE case_id = ANY($1::uuid[])) AS audit`,
      [caseIds],
    );
    return rows[0];
  }
});
