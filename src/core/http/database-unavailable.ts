/** What a client is told to wait, in seconds (`Retry-After`), while the database cannot be reached. */
export const DATABASE_RETRY_AFTER_SECONDS = 10;

export const DATABASE_UNAVAILABLE_MESSAGE = `The service cannot reach its database right now. Please try again in ${DATABASE_RETRY_AFTER_SECONDS} seconds.`;

/** Socket errors of a connection to Postgres that is refused, reset or cannot be routed. */
const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
]);

/**
 * SQLSTATEs that mean the server is going away or not taking connections, not that the query was wrong: 57P01
 * admin_shutdown (a restart), 57P02 crash_shutdown, 57P03 cannot_connect_now (starting up or shutting down), 53300
 * too_many_connections; and the whole of class 08, connection exceptions.
 */
const SQLSTATES = new Set(['57P01', '57P02', '57P03', '53300']);

/** node-postgres and pg-pool say these without a code. */
const MESSAGES = [
  /^Connection terminated/, // the socket closed under a query, or the connect timed out
  /^timeout exceeded when trying to connect/, // the pool's connectionTimeoutMillis
  /^Client has encountered a connection error and is not queryable/,
  /^Client was closed and is not queryable/,
];

/**
 * TypeORM's name for a query on a transaction whose connection it has already let go: its postgres driver releases a
 * query runner when the connection fails under it (a restart ending the session mid-transaction), and the
 * transaction's next query says so. Seen when Postgres was restarted under a stream of notices (test/faults).
 */
const RELEASED_QUERY_RUNNER = 'QueryRunnerProviderAlreadyReleasedError';

/**
 * Whether an error says the database cannot be reached (so the request deserves a 503 and a retry), rather than
 * that the request or the code is wrong. Looks through what TypeORM and Node wrap around the driver's error: a
 * QueryFailedError's `driverError`, an Error's `cause`, an AggregateError's `errors` (a host with several addresses).
 */
export function isDatabaseUnavailable(error: unknown): boolean {
  const seen = new Set<unknown>();
  const queue: unknown[] = [error];
  while (queue.length > 0 && seen.size < 20) {
    const item = queue.shift();
    if (typeof item !== 'object' || item === null || seen.has(item)) continue;
    seen.add(item);
    const { name, code, message, cause, driverError, errors } = item as {
      name?: unknown;
      code?: unknown;
      message?: unknown;
      cause?: unknown;
      driverError?: unknown;
      errors?: unknown;
    };
    if (typeof code === 'string' && (NETWORK_CODES.has(code) || SQLSTATES.has(code) || /^08[0-9A-Z]{3}$/.test(code))) {
      return true;
    }
    if (typeof message === 'string' && MESSAGES.some((m) => m.test(message))) return true;
    if (name === RELEASED_QUERY_RUNNER) return true;
    queue.push(cause, driverError, ...(Array.isArray(errors) ? (errors as unknown[]) : []));
  }
  return false;
}
