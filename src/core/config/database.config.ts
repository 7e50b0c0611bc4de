import { registerAs } from '@nestjs/config';
import { DatabaseEnv } from './database-env';
import { validateEnv } from './validate-env';

export const databaseConfig = registerAs('database', () => {
  const env = validateEnv(DatabaseEnv);
  return {
    url: env.DATABASE_URL,
    poolSize: env.DATABASE_POOL_SIZE,
    connectTimeoutMs: env.DATABASE_CONNECT_TIMEOUT_MS,
    preparedStatements: env.DATABASE_PREPARED_STATEMENTS,
  };
});
export type DatabaseConfig = ReturnType<typeof databaseConfig>;
