import 'reflect-metadata';
import { readdirSync } from 'node:fs';
import * as path from 'node:path';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { CaseTexts1796186020295 } from '../migrations/1796186020295-CaseTexts';
import { dataSourceOptions } from '../src/core/database/data-source-options';
import { ensureDatabase } from '../src/core/database/ensure-database';
import { isolatedDatabaseUrl } from './support/database';

/**
 * The migration that moves staff's words out of the audit log, run on a scratch database brought to the migration
 * before it, with audit rows of the shapes the code wrote until then.
 */
describe('the CaseTexts migration', () => {
  const url = isolatedDatabaseUrl('case_texts_migration');
  const migration = new CaseTexts1796186020295();
  let ds: DataSource;
  let client: Client;

  const run = async (step: 'up' | 'down'): Promise<void> => {
    const runner = ds.createQueryRunner();
    await runner.startTransaction();
    try {
      await migration[step](runner);
      await runner.commitTransaction();
    } catch (error) {
      await runner.rollbackTransaction();
      throw error;
    } finally {
      await runner.release();
    }
  };
  const events = async (caseId: string): Promise<{ action: string; actor: string; at: Date; detail: any }[]> =>
    (await client.query(`SELECT action, actor, at, detail FROM audit_events WHERE case_id = $1 ORDER BY id`, [caseId]))
      .rows;
  const hasTable = async (): Promise<boolean> =>
    (await client.query(`SELECT to_regclass('case_texts') IS NOT NULL AS t`)).rows[0].t;

  const dropDatabase = async (): Promise<void> => {
    const admin = new URL(url);
    admin.pathname = '/postgres';
    const server = new Client({ connectionString: admin.toString() });
    await server.connect();
    await server.query(`DROP DATABASE IF EXISTS "${new URL(url).pathname.slice(1)}"`);
    await server.end();
  };

  beforeAll(async () => {
    await dropDatabase();
    await ensureDatabase(url);
    const dir = path.join(__dirname, '../migrations');
    const before = readdirSync(dir)
      .filter((f) => f.endsWith('.ts') && f < '1796186020295')
      .map((f) => path.join(dir, f));
    ds = new DataSource({ ...dataSourceOptions(url, 2), migrations: before });
    await ds.initialize();
    await ds.runMigrations({ transaction: 'each' });
    client = new Client({ connectionString: url });
    await client.connect();
  });

  afterAll(async () => {
    await client?.end();
    await ds?.destroy();
    await dropDatabase();
  });

  it('does nothing to a log with nothing to move, and back', async () => {
    const [{ id: caseId }] = (
      await client.query(
        `INSERT INTO cases (reference, status, kind, status_token, checklist)
         VALUES ('DMCA-2026-000001', 'received', 'takedown', 'token-1', '{}') RETURNING id`,
      )
    ).rows;
    await client.query(
      `INSERT INTO audit_events (case_id, actor, action, detail) VALUES
         ($1, 'worker', 'takedowns.done', '{"done": 1, "notFound": 0, "unverified": 0, "outboundLinksRemoved": 0}'),
         ($1, 'worker', 'takedowns.approved', '{"takedowns": 2}')`,
      [caseId],
    );
    const before = await events(caseId);
    await run('up');
    expect(await events(caseId)).toEqual(before);
    expect((await client.query(`SELECT count(*)::int AS n FROM case_texts`)).rows[0].n).toBe(0);
    await run('down');
    expect(await hasTable()).toBe(false);
    expect(await events(caseId)).toEqual(before);
  });

  it('moves every staff text to case_texts, drops the assignee name, scrubs system messages, and goes back', async () => {
    const [{ id: staffId }] = (
      await client.query(
        `INSERT INTO staff_users (email, name, role, password_hash) VALUES ('lena@example.com', 'Lena Legal', 'legal', 'x')
         RETURNING id`,
      )
    ).rows;
    const [{ id: caseId }] = (
      await client.query(
        `INSERT INTO cases (reference, status, kind, status_token, checklist)
         VALUES ('DMCA-2026-000002', 'rejected', 'takedown', 'token-2', '{}') RETURNING id`,
      )
    ).rows;
    const old: [string, string, object][] = [
      [staffId, 'note.added', { text: 'Called Jane Roe on +1 555 123 4567.' }],
      [staffId, 'case.transitioned', { from: 'in_review', to: 'rejected', reason: 'Not our site' }],
      [staffId, 'case.transitioned', { from: 'received', to: 'in_review', reason: null }],
      [staffId, 'case.rejected', { reason: 'Not our site', template: 'Not on our site', links: [] }],
      [staffId, 'links.rejected', { reason: 'Licensed', template: null, links: ['https://example.com/d/1'] }],
      [staffId, 'element.overridden', { element: 'signature', checker: false, present: true, reason: 'Signed' }],
      [
        staffId,
        'link.sorting_overridden',
        { link: 'https://example.com/d/1', from: { role: 'infringing' }, to: { role: 'original' }, reason: 'Theirs' },
      ],
      [staffId, 'links.restored', { links: ['https://example.com/d/1'], reason: 'Mistake' }],
      [staffId, 'takedowns.approved', { links: ['https://example.com/d/1'], reason: null }],
      [
        'sender',
        'notice.retracted',
        { urls: [], whole: true, reason: 'We settled', restored: 0, cancelled: 0, providers: [] },
      ],
      [staffId, 'counter_notice.withdrawn', { counterNotice: 'c-1', reason: 'The uploader asked' }],
      [staffId, 'info.requested', { elements: ['signature'], message: 'Please sign it' }],
      [staffId, 'info.requested', { elements: ['signature'], message: null }],
      [staffId, 'case.assigned', { from: null, to: staffId, toName: 'Lena Legal' }],
      ['worker', 'takedowns.failed', { error: 'site said: no such uploader jane@example.net', giveUp: 1, retry: 0 }],
      ['worker', 'letter.failed', { letter: 'l-1', kind: 'receipt', error: '550 mailbox jane@example.net unknown' }],
      [
        'sender',
        'case.transition_refused',
        { from: 'withdrawn', to: 'in_review', reason: 'counter-notice received', refusal: 'A withdrawn case stays.' },
      ],
    ];
    for (const [i, [actor, action, detail]] of old.entries()) {
      await client.query(`INSERT INTO audit_events (case_id, actor, action, detail, at) VALUES ($1, $2, $3, $4, $5)`, [
        caseId,
        actor,
        action,
        JSON.stringify(detail),
        new Date(Date.UTC(2026, 0, 1, 0, i)),
      ]);
    }
    const before = await events(caseId);

    await run('up');
    const after = await events(caseId);
    const texts = new Map(
      (
        await client.query<{
          id: string;
          case_id: string;
          author: string;
          kind: string;
          text: string;
          created_at: Date;
        }>(`SELECT id, case_id, author, kind, text, created_at FROM case_texts WHERE case_id = $1`, [caseId])
      ).rows.map((t) => [t.id, t]),
    );
    // Each moved text: the same words, the same case, its event's actor and time, and the field its id.
    const moved = (i: number, from: string, to: string, kind: string) => {
      const id = after[i].detail[to];
      expect(after[i].detail).not.toHaveProperty(from);
      expect(texts.get(id)).toEqual({
        id,
        case_id: caseId,
        author: before[i].actor,
        kind,
        text: before[i].detail[from],
        created_at: before[i].at,
      });
      const rest = Object.fromEntries(Object.entries(before[i].detail).filter(([k]) => k !== from));
      expect(after[i].detail).toEqual({ ...rest, [to]: id });
    };
    moved(0, 'text', 'noteText', 'note');
    moved(1, 'reason', 'reasonText', 'reason');
    expect(after[2].detail).toEqual({ from: 'received', to: 'in_review', reasonText: null });
    for (const i of [3, 4, 5, 6, 7]) moved(i, 'reason', 'reasonText', 'reason');
    expect(after[8].detail).toEqual({ links: ['https://example.com/d/1'], reasonText: null });
    moved(9, 'reason', 'reasonText', 'retraction_reason');
    moved(10, 'reason', 'reasonText', 'withdrawal_reason');
    moved(11, 'message', 'messageText', 'message');
    expect(after[12].detail).toEqual({ elements: ['signature'], messageText: null });
    expect(after[13].detail).toEqual({ from: null, to: staffId });
    expect(after[14].detail.error).toBe('site said: no such uploader [email redacted]');
    expect(after[15].detail.error).toBe('550 mailbox [email redacted] unknown');
    moved(16, 'reason', 'reasonText', 'reason');
    expect(after[16].detail.refusal).toBe('A withdrawn case stays.');
    expect(texts.size).toBe(11);
    expect(JSON.stringify(after)).not.toMatch(/Jane Roe|Lena Legal|jane@example/);

    // The log is append-only again.
    await expect(client.query(`UPDATE audit_events SET actor = 'x' WHERE case_id = $1`, [caseId])).rejects.toThrow(
      'append-only',
    );
    await expect(client.query(`DELETE FROM audit_events WHERE case_id = $1`, [caseId])).rejects.toThrow('append-only');

    await run('down');
    expect(await hasTable()).toBe(false);
    // Back as they were, but for the scrubbed messages, which stay scrubbed.
    const back = await events(caseId);
    expect(back.map((e) => e.detail)).toEqual(
      before.map((e, i) => (i === 14 || i === 15 ? { ...e.detail, error: after[i].detail.error } : e.detail)),
    );
    await expect(client.query(`DELETE FROM audit_events WHERE case_id = $1`, [caseId])).rejects.toThrow('append-only');
  });
});
