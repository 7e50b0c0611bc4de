import 'reflect-metadata';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { privacyConfig } from '../src/core/config/privacy.config';
import { dataSourceOptions } from '../src/core/database/data-source-options';
import { ERASED, PersonalData } from '../src/core/privacy/personal-data.service';
import { migrateDatabase } from './support/database';
import { applyTestEnv, TEST_DATABASE_URL } from './support/env';
import { uniqueId } from './support/harness';

describe('PersonalData.subjects: the subjects of many addresses in a statement or two', () => {
  let ds: DataSource;
  let client: Client;
  let vault: PersonalData;

  beforeAll(async () => {
    applyTestEnv();
    await migrateDatabase(TEST_DATABASE_URL);
    ds = await new DataSource(dataSourceOptions(TEST_DATABASE_URL, 2)).initialize();
    client = new Client({ connectionString: TEST_DATABASE_URL });
    await client.connect();
    vault = new PersonalData(privacyConfig(), ds);
    await vault.onModuleInit();
  });

  afterAll(async () => {
    await client?.end();
    await ds?.destroy();
  });

  const subjectsOf = async (hashes: string[]): Promise<{ id: string; email_hash: string }[]> =>
    (
      await client.query<{ id: string; email_hash: string }>(
        `SELECT id, email_hash FROM data_subjects WHERE email_hash = ANY($1)`,
        [hashes],
      )
    ).rows;

  it('gives an address one subject however it is written, each absent address one of its own, in order', async () => {
    const a = `Jane.${uniqueId()}@Example.org`;
    const b = `john-${uniqueId()}@example.org`;
    const ids = await ds.transaction((m) => vault.subjects(m, [a, a.toLowerCase(), null, b, '  ', ` ${a} `]));
    expect(ids).toHaveLength(6);
    expect(new Set([ids[0], ids[1], ids[5]]).size).toBe(1);
    // No address: a new subject each time, never another's.
    expect(new Set([ids[0], ids[2], ids[3], ids[4]]).size).toBe(4);
    const rows = await subjectsOf([vault.hashEmail(a), vault.hashEmail(b)]);
    expect(new Map(rows.map((r) => [r.email_hash, r.id]))).toEqual(
      new Map([
        [vault.hashEmail(a), ids[0]],
        [vault.hashEmail(b), ids[3]],
      ]),
    );

    // Asked again, in another transaction and one at a time: the same subjects, found rather than made.
    const again = await ds.transaction(async (m) => [
      ...(await vault.subjects(m, [b, a])),
      await vault.subject(m, a.toUpperCase()),
    ]);
    expect(again).toEqual([ids[3], ids[0], ids[0]]);
    expect(await subjectsOf([vault.hashEmail(a), vault.hashEmail(b)])).toHaveLength(2);
  });

  it('seals each value under its own subject, and forgets an address erased in the same transaction', async () => {
    const c = `erased-${uniqueId()}@example.org`;
    const d = `kept-${uniqueId()}@example.org`;
    const { first, after, sealed } = await ds.transaction(async (m) => {
      const [cId, dId] = await vault.subjects(m, [c, d]);
      const values = await vault.sealMany(m, [
        { subjectId: cId, values: [c, null] },
        { subjectId: dId, values: [d] },
      ]);
      await vault.erase(m, [cId]);
      // The erased address is a stranger now: a new subject, whose key seals.
      const [cAgain] = await vault.subjects(m, [c]);
      await vault.seal(m, cAgain, c);
      return { first: [cId, dId], after: cAgain, sealed: values };
    });
    expect(after).not.toBe(first[0]);
    expect(vault.subjectOf(sealed[0][0])).toBe(first[0]);
    expect(sealed[0][1]).toBeNull();
    expect(vault.subjectOf(sealed[1][0])).toBe(first[1]);
    expect(await vault.open(ds.manager, [sealed[0][0], sealed[1][0]])).toEqual([ERASED, d]);
    expect(await subjectsOf([vault.hashEmail(c)])).toEqual([{ id: after, email_hash: vault.hashEmail(c) }]);
  });
});
