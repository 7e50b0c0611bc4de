import type { INestApplicationContext } from '@nestjs/common';
import type { Client } from 'pg';
import { isolatedDatabase, isolatedDatabaseUrl } from './support/database';
import { completeNoticeFrom, postJson } from './support/factories';
import { type RunningApi, startApi, startWorker, uniqueId, uniquePrefix, waitFor } from './support/harness';
import { openedRows } from './support/sealed';

jest.setTimeout(120_000);

/** Its own database: its worker sends every letter recorded in it, and no other file's worker may. */
const DATABASE_URL = isolatedDatabaseUrl('confirm');
const CAP = 2;

/**
 * The per-recipient cap holds letters to an address that has not shown it sent the notices. Following the link in
 * our receipt, and pressing the button on the page it opens, shows that: letters to it then go out at once.
 */
describe('confirming an address from the link in our receipt', () => {
  let client: Client;
  let api: RunningApi;
  let worker: INestApplicationContext;

  beforeAll(async () => {
    client = await isolatedDatabase('confirm');
    const env = {
      DATABASE_URL,
      QUEUE_PREFIX: uniquePrefix(),
      LETTER_CAP_PER_RECIPIENT: String(CAP),
      LETTER_CAP_WINDOW_MINUTES: '60',
    };
    api = await startApi(env);
    worker = await startWorker(env);
  });

  afterAll(async () => {
    await worker?.close();
    await api?.close();
    await client?.end();
  });

  const file = async (address: string): Promise<string> => {
    const res = await postJson(
      api.url,
      '/api/v1/notices',
      completeNoticeFrom(address, [`https://mega.nz/file/${uniqueId()}`]),
    );
    expect(res.status).toBe(201);
    return res.body.caseId as string;
  };
  /** Every letter of these cases, once each has its receipt and referral recorded. */
  const lettersOf = (caseIds: string[]) =>
    waitFor('the cases to be routed', async () => {
      const { rows } = await client.query<{ kind: string; text: string; held_until: Date | null }>(
        `SELECT kind, text, held_until FROM letters WHERE case_id = ANY($1::uuid[]) AND recipient IS NOT NULL`,
        [caseIds],
      );
      return rows.filter((r) => r.kind === 'receipt').length === caseIds.length
        ? openedRows(client, rows, ['text'])
        : undefined;
    });
  const confirmUrl = (text: string): string => {
    const match = /https?:\/\/\S+\/letters\/confirm\/\S+/.exec(text);
    expect(match).not.toBeNull();
    return new URL(match![0]).pathname;
  };

  it('opening the link changes nothing; the button confirms, and letters to the address are no longer held', async () => {
    const sender = `sender-${uniqueId()}@rights-holder.example.org`;
    const [receipt] = (await lettersOf([await file(sender)])).filter((l) => l.kind === 'receipt');
    const path = confirmUrl(receipt.text);

    const page = await fetch(api.url + path);
    expect(page.status).toBe(200);
    const html = await page.text();
    const csrf = /name="_csrf" value="([^"]+)"/.exec(html)?.[1];
    const cookie = page.headers
      .getSetCookie()
      .find((c) => c.startsWith('td_csrf='))
      ?.split(';')[0];
    expect(csrf && cookie).toBeTruthy();
    const confirmed = async () =>
      (await client.query(`SELECT count(*)::int AS n FROM confirmed_recipients`)).rows[0].n as number;
    const before = await confirmed();

    const forged = await fetch(api.url + path, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: cookie! },
      body: new URLSearchParams({ _csrf: 'not-the-token' }).toString(),
    });
    expect(forged.status).toBe(403);
    expect(await confirmed()).toBe(before);

    const done = await fetch(api.url + path, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: cookie! },
      body: new URLSearchParams({ _csrf: csrf! }).toString(),
    });
    expect(done.status).toBe(200);
    expect(await done.text()).toMatch(/your address is confirmed/);
    expect(await confirmed()).toBe(before + 1);

    // Far more letters than the cap, to a +tag of the same mailbox: none waits.
    const tagged = sender.replace('@', '+more@');
    const letters = await lettersOf(await Promise.all([1, 2, 3, 4].map(() => file(tagged))));
    expect(letters.length).toBeGreaterThan(CAP);
    expect(letters.filter((l) => l.held_until !== null)).toEqual([]);
  });

  it('holds letters to an address that did not confirm, and refuses a link that was not ours', async () => {
    const other = `other-${uniqueId()}@rights-holder.example.org`;
    const letters = await lettersOf(await Promise.all([1, 2, 3].map(() => file(other))));
    expect(letters.filter((l) => l.held_until !== null).length).toBe(letters.length - CAP);

    const path = confirmUrl(letters.find((l) => l.kind === 'receipt')!.text);
    const tampered = `${path.slice(0, -4)}${path.endsWith('AAAA') ? 'BBBB' : 'AAAA'}`;
    expect((await fetch(api.url + tampered)).status).toBe(404);
    expect((await fetch(api.url + tampered, { method: 'POST' })).status).toBe(404);
  });
});
