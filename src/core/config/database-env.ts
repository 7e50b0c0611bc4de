import { IsBoolean, IsInt, Matches, Max, Min } from 'class-validator';

/** Kept apart from database.config.ts so that the TypeORM CLI can read it without Nest. */
export class DatabaseEnv {
  @Matches(/^postgres(ql)?:\/\/.+/, { message: 'DATABASE_URL must be a postgres:// URL' })
  DATABASE_URL = 'postgres://postgres@127.0.0.1:5432/takedown';
  @IsInt() @Min(1) @Max(100) DATABASE_POOL_SIZE = 10;
  /**
   * How long a query may wait for a connection (a new one, or a free one from the pool) before it fails and the
   * request is answered 503: a database that stops answering does not leave requests hanging.
   */
  @IsInt() @Min(100) @Max(600_000) DATABASE_CONNECT_TIMEOUT_MS = 10_000;
  /**
   * The statements a process runs again and again are prepared once per connection (named statements). Off behind a
   * pooler that shares server connections between clients (PgBouncer in transaction mode before 1.21).
   */
  @IsBoolean() DATABASE_PREPARED_STATEMENTS = true;
}
