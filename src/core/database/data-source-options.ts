import * as path from 'node:path';
import { DataSourceOptions } from 'typeorm';
import { ENTITIES } from './entities';
import { PreparingClient } from './prepared-statements';
import { SnakeNamingStrategy } from './snake-naming.strategy';

/** The one description of our database, used by the app, the worker, the CLI and migrations. */
export function dataSourceOptions(
  url: string,
  poolSize = 10,
  connectTimeoutMs = 10_000,
  preparedStatements = true,
): DataSourceOptions {
  return {
    type: 'postgres',
    url,
    entities: ENTITIES,
    migrations: [path.join(__dirname, '../../../migrations/*.{js,ts}')],
    migrationsTableName: 'migrations',
    namingStrategy: new SnakeNamingStrategy(),
    // gen_random_uuid() is built into PostgreSQL 13+: no extension to install.
    uuidExtension: 'pgcrypto',
    synchronize: false,
    migrationsRun: false,
    // keepAlive: an open connection to a database that went silent is found dead by TCP, not held forever.
    // PreparingClient: the statements run again and again are prepared once per connection (prepared-statements.ts).
    extra: {
      max: poolSize,
      connectionTimeoutMillis: connectTimeoutMs,
      keepAlive: true,
      ...(preparedStatements ? { Client: PreparingClient } : {}),
    },
  };
}
