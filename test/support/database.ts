import 'reflect-metadata';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { dataSourceOptions } from '../../src/core/database/data-source-options';
import { ensureDatabase } from '../../src/core/database/ensure-database';
import { TEST_DATABASE_URL } from './env';

/** Creates the database if missing and brings it to the latest migration. */
export async function migrateDatabase(url: string): Promise<void> {
  await ensureDatabase(url);
  const ds = new DataSource(dataSourceOptions(url, 2));
  await ds.initialize();
  try {
    await ds.runMigrations({ transaction: 'each' });
  } finally {
    await ds.destroy();
  }
}

/**
 * A migrated test database of a file's own (takedown_test_<suffix>), with a client on it. Workers relay every outbox
 * row and sweep every due takedown of their database, so a file that moves due times or leases by hand, or sends
 * mail, keeps other files' workers away from its rows this way.
 */
export async function isolatedDatabase(suffix: string): Promise<Client> {
  const url = isolatedDatabaseUrl(suffix);
  await migrateDatabase(url);
  const client = new Client({ connectionString: url });
  await client.connect();
  return client;
}

/**
 * As isolatedDatabase, but dropped and made again first: for a file that counts or searches everything in its
 * database, which a run before it (or a run stopped half-way) must not have left anything in.
 */
export async function freshDatabase(suffix: string): Promise<Client> {
  const admin = new Client({ connectionString: TEST_DATABASE_URL });
  await admin.connect();
  try {
    await admin.query(`DROP DATABASE IF EXISTS ${new URL(isolatedDatabaseUrl(suffix)).pathname.slice(1)} WITH (FORCE)`);
  } finally {
    await admin.end();
  }
  return isolatedDatabase(suffix);
}

export function isolatedDatabaseUrl(suffix: string): string {
  const url = new URL(TEST_DATABASE_URL);
  url.pathname = `${url.pathname}_${suffix}`;
  return url.toString();
}
