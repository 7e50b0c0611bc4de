import 'reflect-metadata';
import { DataSource } from 'typeorm';
import { dataSourceOptions } from '../../src/core/database/data-source-options';
import { ensureDatabase } from '../../src/core/database/ensure-database';
import { TEST_DATABASE_URL } from './env';

/** Creates the test database if missing and brings it to the latest migration, once per run. */
export default async function globalSetup(): Promise<void> {
  await ensureDatabase(TEST_DATABASE_URL);
  const ds = new DataSource(dataSourceOptions(TEST_DATABASE_URL, 2));
  await ds.initialize();
  try {
    await ds.runMigrations({ transaction: 'each' });
  } finally {
    await ds.destroy();
  }
}
