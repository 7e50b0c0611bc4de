import 'reflect-metadata';
import { DataSource } from 'typeorm';
import { dataSourceOptions } from '../src/core/database/data-source-options';
import { MAX_NAMED, namedStatementCount, statementName } from '../src/core/database/prepared-statements';
import { migrateDatabase } from './support/database';
import { TEST_DATABASE_URL } from './support/env';
import { uniqueId } from './support/harness';

/** The statements Postgres holds prepared for the connection of `run`'s query runner whose text holds `tag`. */
async function preparedOn(
  tag: string,
  ds: DataSource,
  run: (q: (sql: string, params?: unknown[]) => Promise<unknown>) => Promise<void>,
) {
  const runner = ds.createQueryRunner();
  try {
    await runner.connect();
    await run((sql, params) => runner.query(sql, params));
    const rows = (await runner.query(`SELECT name, statement FROM pg_prepared_statements WHERE statement LIKE $1`, [
      `%${tag}%`,
    ])) as { name: string; statement: string }[];
    return rows.filter((r) => !r.statement.includes('pg_prepared_statements'));
  } finally {
    await runner.release();
  }
}

describe('prepared statements: what a process runs again and again is parsed once per connection', () => {
  let ds: DataSource;

  beforeAll(async () => {
    await migrateDatabase(TEST_DATABASE_URL);
    ds = await new DataSource(dataSourceOptions(TEST_DATABASE_URL, 1)).initialize();
  });

  afterAll(async () => {
    await ds?.destroy();
  });

  it('names a parameterised text the second time it runs, and answers the same rows under the name', async () => {
    const tag = String(uniqueId());
    const sql = `SELECT $1::text AS echo /* prepared-statements spec ${tag} */`;
    const answers: unknown[] = [];
    const prepared = await preparedOn(tag, ds, async (q) => {
      for (const word of ['one', 'two', 'three']) answers.push(await q(sql, [word]));
    });
    expect(answers).toEqual([[{ echo: 'one' }], [{ echo: 'two' }], [{ echo: 'three' }]]);
    expect(prepared).toEqual([{ name: statementName(sql), statement: sql }]);
    expect(statementName(sql)).toMatch(/^td_\d+$/);
  });

  it('leaves a text seen once, and a text without parameters, unnamed', async () => {
    const tag = String(uniqueId());
    const once = `SELECT $1::int + 1 AS n /* prepared-statements spec once ${tag} */`;
    const plain = `SELECT 1 AS n /* prepared-statements spec plain ${tag} */`;
    const prepared = await preparedOn(tag, ds, async (q) => {
      await q(once, [1]);
      await q(plain);
      await q(plain);
    });
    expect(prepared).toEqual([]);
  });

  it('keeps a failed statement from poisoning its name: the next call on the connection runs it again', async () => {
    const sql = `SELECT 1 / $1::int AS n /* prepared-statements spec failing ${uniqueId()} */`;
    const runner = ds.createQueryRunner();
    try {
      await runner.query(sql, [1]);
      await runner.startTransaction();
      await runner.query(`SELECT 1 / 0`).catch(() => undefined); // the transaction is now aborted
      // The second sighting names it, but its Parse is refused inside the aborted transaction.
      await expect(runner.query(sql, [1])).rejects.toThrow(/current transaction is aborted/);
      await runner.rollbackTransaction();
      await expect(runner.query(sql, [2])).resolves.toEqual([{ n: 0 }]);
      await expect(runner.query(sql, [1])).resolves.toEqual([{ n: 1 }]);
    } finally {
      await runner.release();
    }
  });

  it('names at most MAX_NAMED texts in a process and runs the rest unnamed', () => {
    const before = namedStatementCount();
    const texts = Array.from({ length: MAX_NAMED + 5 }, (_, i) => `SELECT $1 /* cap ${uniqueId()} ${i} */`);
    const names = texts.map((t) => (statementName(t), statementName(t)));
    const named = names.filter((n) => n !== undefined);
    expect(named).toHaveLength(MAX_NAMED - before);
    expect(new Set(named).size).toBe(named.length);
    expect(namedStatementCount()).toBe(MAX_NAMED);
  });

  it('is off with DATABASE_PREPARED_STATEMENTS=false: nothing is prepared', async () => {
    const off = await new DataSource(dataSourceOptions(TEST_DATABASE_URL, 1, 10_000, false)).initialize();
    try {
      const tag = String(uniqueId());
      const sql = `SELECT $1::text AS echo /* prepared-statements spec off ${tag} */`;
      const prepared = await preparedOn(tag, off, async (q) => {
        for (let i = 0; i < 3; i++) await q(sql, ['x']);
      });
      expect(prepared).toEqual([]);
    } finally {
      await off.destroy();
    }
  });
});
