import { Client, type QueryConfig } from 'pg';

/**
 * Named prepared statements for the statements a process runs again and again. `pg` sends every parameterised query
 * unnamed: Postgres parses, analyses and plans its text on each call. The same text under a name is parsed once per
 * connection and its plan kept (Postgres's own choice between custom and generic plans). For intake's INSERTs that
 * is about a third of Postgres's CPU a statement and a fewer bytes sent.
 *
 * A text is named the second time it is seen, so that one-off texts (a query built with its values in it) never are;
 * a process names at most MAX_NAMED texts, and runs any text past them unnamed as before, so that no connection
 * holds an unbounded number of statements. Queries without parameters (BEGIN, COMMIT, SET) go by the simple
 * protocol as before.
 *
 * Names are one per text and process (`td_1`, `td_2`...), so that `pg` never meets one name with two texts. A
 * statement whose result columns change under it (a migration altering a column a prepared SELECT returns) fails with
 * "cached plan must not change result type" until its connection closes: processes are restarted after such a
 * migration, as a deploy does. Behind a pooler that shares server connections between clients (PgBouncer in
 * transaction mode before 1.21), set DATABASE_PREPARED_STATEMENTS=false.
 */
export const MAX_NAMED = 500;
/** Texts seen once, waiting for a second sighting; forgotten all at once past this many. */
const MAX_SEEN_ONCE = 5_000;

const names = new Map<string, string>();
const seenOnce = new Set<string>();

/** The name `text` runs under, or undefined to run it unnamed (first sighting, or the process has named enough). */
export function statementName(text: string): string | undefined {
  const known = names.get(text);
  if (known !== undefined) return known;
  if (names.size >= MAX_NAMED) return undefined;
  if (!seenOnce.has(text)) {
    if (seenOnce.size >= MAX_SEEN_ONCE) seenOnce.clear();
    seenOnce.add(text);
    return undefined;
  }
  seenOnce.delete(text);
  const name = `td_${names.size + 1}`;
  names.set(text, name);
  return name;
}

/** How many texts this process has named (for tests and metrics). */
export function namedStatementCount(): number {
  return names.size;
}

type QueryFn = (...args: unknown[]) => unknown;
// eslint-disable-next-line @typescript-eslint/unbound-method -- called with the client as `this`, below
const plainQuery = Client.prototype.query as unknown as QueryFn;

/**
 * A `pg` Client that runs `query(text, values)` (the form TypeORM uses) under the text's statement name. Given to
 * the pool as its `Client`; every other form of `query` (a config object, a callback, no values) is left as it is.
 */
export class PreparingClient extends Client {}

Object.defineProperty(PreparingClient.prototype, 'query', {
  configurable: true,
  writable: true,
  value: function query(this: Client, ...args: unknown[]): unknown {
    const [text, values, callback] = args;
    if (typeof text === 'string' && Array.isArray(values) && values.length > 0 && callback === undefined) {
      const name = statementName(text);
      if (name !== undefined) return plainQuery.call(this, { name, text, values } satisfies QueryConfig);
    }
    return plainQuery.apply(this, args);
  },
});
