import 'reflect-metadata';
import { DataSource, type EntityManager } from 'typeorm';
import { privacyConfig } from '../src/core/config/privacy.config';
import { dataSourceOptions } from '../src/core/database/data-source-options';
import {
  ERASED,
  PersonalData,
  type SubjectKeyColumns,
  subjectKeyColumns,
  subjectKeyOf,
  WITHHELD,
} from '../src/core/privacy/personal-data.service';
import { migrateDatabase } from './support/database';
import { applyTestEnv, TEST_DATABASE_URL } from './support/env';
import { uniqueId } from './support/harness';

/** Counts the key look-ups (SELECT ... FROM data_subjects WHERE id = ANY) made through `m`, until stopped. */
function countKeyLookups(m: EntityManager): { count: () => number; stop: () => void } {
  const query = m.query.bind(m);
  let n = 0;
  m.query = ((sql: string, parameters?: unknown[]) => {
    if (/FROM data_subjects WHERE id = ANY/.test(sql)) n++;
    return query(sql, parameters);
  }) as typeof m.query;
  return { count: () => n, stop: () => delete (m as Partial<EntityManager>).query };
}

describe('PersonalData: opening with the key read by the statement that read the sealed value', () => {
  let ds: DataSource;
  let vault: PersonalData;

  beforeAll(async () => {
    applyTestEnv();
    await migrateDatabase(TEST_DATABASE_URL);
    ds = await new DataSource(dataSourceOptions(TEST_DATABASE_URL, 2)).initialize();
    vault = new PersonalData(privacyConfig(), ds);
    await vault.onModuleInit();
  });

  afterAll(async () => {
    await ds?.destroy();
  });

  const keyRow = async (subjectId: string): Promise<SubjectKeyColumns> =>
    (
      await ds.query<SubjectKeyColumns[]>(`SELECT ${subjectKeyColumns('d')} FROM data_subjects d WHERE d.id = $1`, [
        subjectId,
      ])
    )[0];

  it('opens text and bytes with the given key and looks nothing up; a key it was not given is looked up', async () => {
    const email = `keys-${uniqueId()}@example.org`;
    const other = `other-${uniqueId()}@example.org`;
    const { id, otherId, text, bytes, otherText } = await ds.transaction(async (m) => {
      const [id, otherId] = await vault.subjects(m, [email, other]);
      return {
        id,
        otherId,
        text: await vault.seal(m, id, email),
        bytes: await vault.sealBuffer(m, id, Buffer.from('raw message')),
        otherText: await vault.seal(m, otherId, other),
      };
    });
    const keys = subjectKeyOf(await keyRow(id));
    expect(keys.map((k) => k.id)).toEqual([id]);

    const lookups = countKeyLookups(ds.manager);
    try {
      expect(await vault.openOne(ds.manager, text, { keys })).toBe(email);
      expect((await vault.openBuffer(ds.manager, Buffer.from(bytes), { keys }))?.toString()).toBe('raw message');
      expect(lookups.count()).toBe(0);
      // The other subject's value: its key was not given, so it is looked up as before.
      expect(await vault.open(ds.manager, [text, otherText], { keys })).toEqual([email, other]);
      expect(lookups.count()).toBe(1);
    } finally {
      lookups.stop();
    }
    expect(otherId).not.toBe(id);
  });

  it('reads ERASED, and opens no bytes, when the statement found the subject erased or withheld', async () => {
    const email = `erased-keys-${uniqueId()}@example.org`;
    const minor = `minor-keys-${uniqueId()}@example.org`;
    const sealed = await ds.transaction(async (m) => {
      const [id, minorId] = await vault.subjects(m, [email, minor]);
      return {
        id,
        minorId,
        text: await vault.seal(m, id, email),
        bytes: await vault.sealBuffer(m, id, Buffer.from('raw message')),
        minorText: await vault.seal(m, minorId, minor),
      };
    });
    const before = subjectKeyOf(await keyRow(sealed.id));
    await ds.transaction((m) => vault.erase(m, [sealed.id]));
    await ds.transaction((m) => vault.withhold(m, [sealed.minorId], true));

    // A key read after erase() committed is no key: nothing opens with it.
    const after = subjectKeyOf(await keyRow(sealed.id));
    expect(after).toEqual([{ id: sealed.id, wrapped_key: null, kek_id: null, suppressed_at: null }]);
    expect(await vault.openOne(ds.manager, sealed.text, { keys: after })).toBe(ERASED);
    expect(await vault.openBuffer(ds.manager, Buffer.from(sealed.bytes), { keys: after })).toBeNull();
    expect(before[0].wrapped_key).not.toBeNull();

    const withheld = subjectKeyOf(await keyRow(sealed.minorId));
    expect(await vault.openOne(ds.manager, sealed.minorText, { keys: withheld })).toBe(WITHHELD);
    expect(await vault.openOne(ds.manager, sealed.minorText, { keys: withheld, includeWithheld: true })).toBe(minor);
  });

  it('finds no key in a row whose join found no subject', () => {
    expect(subjectKeyOf({ key_id: null, key_wrapped_key: null, key_kek_id: null, key_suppressed_at: null })).toEqual(
      [],
    );
  });
});
