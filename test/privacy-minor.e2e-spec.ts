import 'reflect-metadata';
import type { INestApplicationContext } from '@nestjs/common';
import type { Client } from 'pg';
import { DataSource } from 'typeorm';
import { RECIPIENT_ERASED } from '../src/letters/letter-sender.service';
import { runCli } from '../src/cli';
import { ErasureService } from '../src/privacy/erasure.service';
import { isolatedDatabase, isolatedDatabaseUrl } from './support/database';
import { completeNotice, postJson } from './support/factories';
import { type RunningApi, startApi, startWorker, uniqueId, uniquePrefix, waitFor } from './support/harness';
import { opened } from './support/sealed';
import { SmtpSink } from './support/smtp-sink';
import { createStaff } from './support/staff';

jest.setTimeout(120_000);

// Its own database: its worker sends mail, and must neither take other files' letters nor leave them its own.
const SUFFIX = 'minor';
const DATABASE_URL = isolatedDatabaseUrl(SUFFIX);

describe("a parent's request for a minor's data: hidden at once, before any staff action", () => {
  const sink = new SmtpSink();
  let client: Client;
  let env: Record<string, string>;
  let running: RunningApi;
  let api: RunningApi['app'];
  let apiUrl: string;
  let worker: INestApplicationContext | undefined;

  beforeAll(async () => {
    client = await isolatedDatabase(SUFFIX);
    await sink.start();
    env = { DATABASE_URL, QUEUE_PREFIX: uniquePrefix(), SMTP_URL: sink.url };
    running = await startApi(env);
    api = running.app;
    apiUrl = running.url;
  });

  afterAll(async () => {
    await worker?.close();
    await running?.close();
    await sink.stop();
    await client?.end();
  });

  it('keeps them off the staff page, the status page and out of every letter, then erases them the same day', async () => {
    const n = uniqueId();
    const minor = {
      name: `Tobias Wrenfield ${n}`,
      email: `tobias.wrenfield.${n}@schoolmail.example`,
      phone: '+1 (555) 017-3321',
      address: '9 Larkspur Close, Dunmere',
    };
    const needles = [minor.email, minor.name, minor.phone, 'Larkspur'];
    // A notice from the minor; no worker runs yet, so its letters wait in the queue.
    const filed = await postJson(
      apiUrl,
      '/api/v1/notices',
      completeNotice([`https://unrelated-site.example/${n}`], {
        complainant: { ...minor, role: 'owner' },
        signature: minor.name,
      }),
    );
    expect(filed.status).toBe(201);
    const ds = api.get(DataSource);
    const erasure = api.get(ErasureService);
    const staff = await createStaff(client, 'legal');
    const staffPage = async () =>
      (
        await fetch(`${apiUrl}/staff/cases/${filed.body.reference}`, {
          headers: { authorization: `Bearer ${staff.token}` },
        })
      ).text();
    const statusPage = async () => (await fetch(filed.body.statusUrl.replace('http://localhost:3000', apiUrl))).text();
    const found = (text: string) => needles.filter((v) => text.toLowerCase().includes(v.toLowerCase()));
    // Before the request, staff see them.
    expect(found(await staffPage())).toEqual(expect.arrayContaining([minor.email, minor.name]));

    // The parent's request: withheld at once, nobody has acted yet.
    await ds.transaction((m) => erasure.withhold(m, minor.email));
    const withheldStaff = await staffPage();
    expect(found(withheldStaff)).toEqual([]);
    expect(withheldStaff).toContain('[withheld]');
    expect(found(await statusPage())).toEqual([]);
    expect(found(JSON.stringify((await erasure.export(ds.manager, minor.email)).cases))).toEqual([]);

    // The worker starts: the case's letters are held, not sent.
    worker = await startWorker(env);
    const held = await waitFor('the letters to be held for the request', async () => {
      const { rows } = await client.query<{ id: string; status: string; held_until: Date | null }>(
        `SELECT id, status, held_until FROM letters WHERE case_id = $1`,
        [filed.body.caseId],
      );
      return rows.length > 0 && rows.every((l) => l.status === 'queued' && l.held_until) ? rows : undefined;
    });
    expect(held.length).toBeGreaterThanOrEqual(1);
    expect(sink.to(minor.email)).toEqual([]);

    // Staff confirm the request: erased the same day; the held letters never go.
    const outcome = await ds.transaction((m) => erasure.erase(m, minor.email, `staff:${staff.id}`));
    expect(outcome.status).toBe('done');
    const { rows: letters } = await client.query<{ status: string; last_error: string }>(
      `SELECT status, last_error FROM letters WHERE case_id = $1`,
      [filed.body.caseId],
    );
    expect(letters.every((l) => l.status === 'failed' && l.last_error === RECIPIENT_ERASED)).toBe(true);
    expect(found(await staffPage())).toEqual([]);
    expect(await staffPage()).toContain('[erased]');
    expect(sink.to(minor.email)).toEqual([]);
  });

  it('does the same through the command line, as staff: withheld at once with --minor, erased with --confirm', async () => {
    const n = uniqueId();
    const minor = { name: `Priya Anselm ${n}`, email: `priya.anselm.${n}@schoolmail.example` };
    const filed = await postJson(
      apiUrl,
      '/api/v1/notices',
      completeNotice([`https://unrelated-site.example/${n}`], {
        complainant: { ...minor, role: 'owner' },
        signature: minor.name,
      }),
    );
    expect(filed.status).toBe(201);
    const cli = async (...args: string[]) => {
      const out: string[] = [];
      const code = await runCli(args, { out: (l) => out.push(l), err: (l) => out.push(l) });
      return { code, line: JSON.parse(out.join('')) as Record<string, unknown> };
    };
    const asked = await cli('privacy-request', 'erasure', minor.email, '--reason', 'her father wrote to us', '--minor');
    expect(asked).toEqual({
      code: 0,
      line: expect.objectContaining({ kind: 'erasure', minor: true, status: 'suppressed', retained: [] }),
    });
    const party = async () =>
      (await client.query<{ email: string }>(`SELECT email FROM parties WHERE case_id = $1`, [filed.body.caseId]))
        .rows[0].email;
    const staff = await createStaff(client, 'legal');
    const page = await (
      await fetch(`${apiUrl}/staff/cases/${filed.body.reference}`, {
        headers: { authorization: `Bearer ${staff.token}` },
      })
    ).text();
    expect(page).not.toContain(minor.email);
    expect(page).toContain('[withheld]');

    const done = await cli('privacy-request', 'erasure', minor.email, '--reason', 'confirmed by phone', '--confirm');
    expect(done).toEqual({ code: 0, line: expect.objectContaining({ kind: 'erasure', status: 'done', retained: [] }) });
    expect(await opened(client, await party())).toBe('[erased]');
  });
});
