import type { Client } from 'pg';
import { PersonalData } from '../src/core/privacy/personal-data.service';
import { completeNotice, completeNoticeFrom, postJson } from './support/factories';
import { db, type RunningApi, startApi, uniqueId, uniquePrefix } from './support/harness';
import { opened } from './support/sealed';

jest.setTimeout(60_000);

/**
 * A notice whose free text takes longer to read than TEXT_BUDGET_MS is kept all the same: the API answers 201, the
 * case is held for a person with the text_budget_exceeded flag, and its checklist comes from the structured fields.
 * The budget is set far below what a megabyte of text takes, so that any text of that size exceeds it.
 */
describe('the time budget for reading a notice', () => {
  let api: RunningApi;
  let client: Client;

  beforeAll(async () => {
    client = await db();
    api = await startApi({ QUEUE_PREFIX: uniquePrefix(), TEXT_BUDGET_MS: '50', TEXT_WORKER_THREADS: '1' });
  });

  afterAll(async () => {
    await api?.close();
    await client?.end();
  });

  const bigText = (): string =>
    `I am the copyright owner.\n${'penalty of perjury\n'.repeat(60_000)}`.slice(0, 1_000_000);

  it('keeps a notice whose text ran out of time, read from its fields alone and held for staff', async () => {
    const url = `https://example.com/d/${uniqueId()}`;
    const res = await postJson(api.url, '/api/v1/notices', { ...completeNotice([url]), text: bigText() });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ kind: 'takedown', status: 'in_review', missing: [] });
    expect(res.body.links.map((l: { url: string }) => l.url).sort()).toEqual(['https://acme-software.com/studio', url]);
    const checklist: Record<string, { evidence: string[] }> = res.body.checklist;
    for (const { evidence } of Object.values(checklist))
      expect(evidence.every((e) => e.startsWith('field '))).toBe(true);

    const { rows } = await client.query(
      `SELECT n.flags, c.status, n.raw_text FROM notices n JOIN cases c ON c.id = n.case_id WHERE c.id = $1`,
      [res.body.caseId],
    );
    const kept = await Promise.all(
      rows.map(async ({ flags, status, raw_text }) => ({
        flags,
        status,
        chars: [...((await opened(client, raw_text)) ?? '')].length,
      })),
    );
    expect(kept).toEqual([{ flags: ['text_budget_exceeded'], status: 'in_review', chars: 1_000_000 }]);
    const audit = await client.query(`SELECT detail FROM audit_events WHERE case_id = $1 AND action = $2`, [
      res.body.caseId,
      'notice.received',
    ]);
    expect(audit.rows[0].detail.flags).toEqual(['text_budget_exceeded']);

    const metrics = await (await fetch(`${api.url}/metrics`)).text();
    expect(metrics).toMatch(/^takedown_desk_notices_flagged\{flag="text_budget_exceeded"\} [1-9]\d*$/m);
  });

  it('keeps every one of several notices read at once, each flagged', async () => {
    const answers = await Promise.all([1, 2, 3].map(() => postJson(api.url, '/api/v1/notices', { text: bigText() })));
    expect(answers.map((r) => r.status)).toEqual([201, 201, 201]);
    const { rows } = await client.query(`SELECT flags FROM notices WHERE case_id = ANY($1::uuid[])`, [
      answers.map((r) => r.body.caseId),
    ]);
    expect(rows).toEqual([1, 2, 3].map(() => ({ flags: ['text_budget_exceeded'] })));
  });
});

describe('more texts at once than the text pool queues', () => {
  let api: RunningApi;
  let client: Client;

  beforeAll(async () => {
    client = await db();
    api = await startApi({ QUEUE_PREFIX: uniquePrefix(), TEXT_WORKER_THREADS: '1', TEXT_QUEUE_MAX: '1' });
  });

  afterAll(async () => {
    await api?.close();
    await client?.end();
  });

  it('answers 503 with Retry-After to what does not fit, writes nothing for it, and takes the rest', async () => {
    const text = `I am the copyright owner.\n${'penalty of perjury\n'.repeat(60_000)}`.slice(0, 1_000_000);
    const marker = `busy-${uniqueId()}@rights-holder.example.org`;
    const body = {
      ...completeNoticeFrom(marker, [`https://example.com/d/${uniqueId()}`]),
      text,
    };
    const answers = await Promise.all([1, 2, 3, 4, 5, 6].map(() => postJson(api.url, '/api/v1/notices', body)));

    const busy = answers.filter((r) => r.status === 503);
    const taken = answers.filter((r) => r.status === 201);
    expect(busy.length + taken.length).toBe(6);
    expect(busy.length).toBeGreaterThan(0);
    for (const r of busy) {
      expect(r.headers.get('retry-after')).toMatch(/^\d+$/);
      expect(r.body.message).toMatch(/send this one again/);
    }
    // Addresses are sealed: a party is found by the keyed hash of its address, as the app finds it.
    const hash = api.app.get(PersonalData, { strict: false }).hashEmail(marker);
    const { rows } = await client.query(`SELECT count(*)::int AS n FROM parties WHERE email_hash = $1`, [hash]);
    expect(rows[0].n).toBe(taken.length);
  });
});
