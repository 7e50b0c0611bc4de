import { migrateDatabase } from './database';
import { TEST_DATABASE_URL } from './env';

/** Creates the test database if missing and brings it to the latest migration, once per run. */
export default async function globalSetup(): Promise<void> {
  await migrateDatabase(TEST_DATABASE_URL);
}
