import { DataSource } from 'typeorm';
import { dataSourceOptions } from '../src/core/database/data-source-options';
import { ensureDatabase } from '../src/core/database/ensure-database';

/** Creates the bench's own database if missing and brings it to the latest migration. */
export async function migrate(url: string): Promise<void> {
  await ensureDatabase(url);
  const dataSource = new DataSource(dataSourceOptions(url, 1));
  await dataSource.initialize();
  try {
    await dataSource.runMigrations();
  } finally {
    await dataSource.destroy();
  }
}
