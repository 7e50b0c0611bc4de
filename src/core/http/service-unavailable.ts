/**
 * Something the request needs is busy or away for a moment (not the database: see database-unavailable.ts). The
 * HTTP filter answers 503 with `Retry-After`; a job that meets it fails and is retried later.
 */
export class ServiceUnavailableError extends Error {
  override readonly name = 'ServiceUnavailableError';

  constructor(
    message: string,
    readonly retryAfterSeconds: number,
  ) {
    super(message);
  }
}
