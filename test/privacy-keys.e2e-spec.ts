import 'reflect-metadata';
import { randomBytes } from 'node:crypto';
import type { Client } from 'pg';
import { DataSource } from 'typeorm';
import { runCli } from '../src/cli';
import { ConfigError } from '../src/core/config';
import { DEVELOPMENT_KEK, privacyConfig } from '../src/core/config/privacy.config';
import { dataSourceOptions } from '../src/core/database/data-source-options';
import { ERASED, PersonalData, WITHHELD } from '../src/core/privacy/personal-data.service';
import { isolatedDatabase, isolatedDatabaseUrl } from './support/database';
import { applyTestEnv } from './support/env';

// Its own database: the keyring is the deployment's, and these tests boot it under other keys.
const SUFFIX = 'keys';
const DATABASE_URL = isolatedDatabaseUrl(SUFFIX);

describe('the key-encryption key: checked at boot, rotated without losing a record', () => {
  let client: Client;
  let ds: DataSource;
  const keyA = randomBytes(32).toString('base64');
  const keyB = randomBytes(32).toString('hex');

  /** PersonalData as a process booted with these settings makes it. */
  async function boot(env: Record<string, string>): Promise<PersonalData> {
    applyTestEnv({ DATABASE_URL, ...env });
    const vault = new PersonalData(privacyConfig(), ds);
    await vault.onModuleInit();
    return vault;
  }

  beforeAll(async () => {
    client = await isolatedDatabase(SUFFIX);
    // A fresh keyring under key A: this file's database starts with none.
    await client.query(`DELETE FROM privacy_keys`);
    await client.query(`UPDATE data_subjects SET wrapped_key = NULL, kek_id = NULL WHERE wrapped_key IS NOT NULL`);
    ds = await new DataSource(dataSourceOptions(DATABASE_URL, 2)).initialize();
  });

  afterAll(async () => {
    applyTestEnv();
    await ds?.destroy();
    await client?.end();
  });

  it('refuses a malformed key, and the development key in production, naming the variable', () => {
    applyTestEnv({ PRIVACY_KEK: 'not a key' });
    expect(() => privacyConfig()).toThrow(ConfigError);
    expect(() => privacyConfig()).toThrow(/PRIVACY_KEK/);
    applyTestEnv({ PRIVACY_KEK: DEVELOPMENT_KEK, NODE_ENV: 'production' });
    expect(() => privacyConfig()).toThrow(/PRIVACY_KEK is the development default/);
    applyTestEnv({ PRIVACY_KEK: keyA, PRIVACY_KEK_PREVIOUS: 'short' });
    expect(() => privacyConfig()).toThrow(/PRIVACY_KEK_PREVIOUS/);
  });

  it('stops a process whose key unwraps no stored key, and rotation keeps every record readable', async () => {
    const a = await boot({ PRIVACY_KEK: keyA });
    const m = ds.manager;
    const subject = await a.subject(m, `kek-${randomBytes(4).toString('hex')}@example.org`);
    const sealed = await a.seal(m, subject, 'Ada Lovelace, +44 20 7946 0000');
    const bytes = await a.sealBuffer(m, subject, Buffer.from('From: ada@example.org'));
    expect(sealed).not.toContain('Ada');

    // Another key, without the old one beside it: boot stops, naming the setting.
    await expect(boot({ PRIVACY_KEK: keyB })).rejects.toThrow(ConfigError);
    await expect(boot({ PRIVACY_KEK: keyB })).rejects.toThrow(/PRIVACY_KEK/);

    // The new key with the old one as previous: everything opens, and the CLI re-wraps it all.
    const during = await boot({ PRIVACY_KEK: keyB, PRIVACY_KEK_PREVIOUS: keyA });
    expect(await during.openOne(m, sealed)).toBe('Ada Lovelace, +44 20 7946 0000');
    const out: string[] = [];
    const code = await runCli(['rotate-kek'], { out: (l) => out.push(l), err: (l) => out.push(l) });
    expect(code).toBe(0);
    expect(JSON.parse(out[0])).toEqual({ rewrapped: expect.any(Number), left: 0 });
    expect(JSON.parse(out[0]).rewrapped).toBeGreaterThanOrEqual(2);

    // Then the new key alone: it boots, and the records read as before.
    const after = await boot({ PRIVACY_KEK: keyB });
    expect(await after.openOne(m, sealed)).toBe('Ada Lovelace, +44 20 7946 0000');
    expect((await after.openBuffer(m, bytes))?.toString()).toBe('From: ada@example.org');
    // And the old key alone no longer does.
    await expect(boot({ PRIVACY_KEK: keyA })).rejects.toThrow(/PRIVACY_KEK/);

    // Withheld reads as withheld, but to the erasure itself; erased reads as erased, whatever the key.
    await after.withhold(m, [subject], true);
    expect(await after.openOne(m, sealed)).toBe(WITHHELD);
    expect(await after.openOne(m, sealed, { includeWithheld: true })).toBe('Ada Lovelace, +44 20 7946 0000');
    await after.erase(m, [subject]);
    expect(await after.openOne(m, sealed, { includeWithheld: true })).toBe(ERASED);
    expect(await after.openBuffer(m, bytes)).toBeNull();
  });
});
