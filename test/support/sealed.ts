import { privacyConfig } from '../../src/core/config/privacy.config';
import { openBytes, openText, parseSealedText, sealedBytesSubject, unwrapKey } from '../../src/core/privacy/envelope';

/** Anything with pg's query(text, params): a pg Client or Pool, or a TypeORM DataSource's query. */
type Queryable = { query: (text: string, params?: unknown[]) => Promise<unknown> };

async function keyOf(db: Queryable, subjectId: string): Promise<Buffer | null> {
  const result = (await db.query(`SELECT wrapped_key FROM data_subjects WHERE id = $1`, [subjectId])) as
    { rows: { wrapped_key: Buffer | null }[] } | { wrapped_key: Buffer | null }[];
  const rows = Array.isArray(result) ? result : result.rows;
  const wrapped = rows[0]?.wrapped_key;
  return wrapped ? unwrapKey(privacyConfig().kek.key, wrapped, subjectId) : null;
}

/**
 * A sealed value as the tests' assertions read it (with the development PRIVACY_KEK the tests run with): the
 * plaintext, '[erased]' once its subject is erased, or the value itself when it was never sealed.
 */
export async function opened(db: Queryable, value: string | null | undefined): Promise<string | null> {
  if (value === null || value === undefined) return null;
  const sealed = parseSealedText(value);
  if (!sealed) return value;
  const key = await keyOf(db, sealed.subjectId);
  return key ? openText(key, sealed) : '[erased]';
}

export async function openedAll(db: Queryable, values: (string | null | undefined)[]): Promise<(string | null)[]> {
  return Promise.all(values.map((v) => opened(db, v)));
}

/** Opens the named fields of each row in place and returns the rows. */
export async function openedRows<T extends object>(db: Queryable, rows: T[], fields: (keyof T)[]): Promise<T[]> {
  for (const row of rows)
    for (const f of fields) (row as Record<keyof T, unknown>)[f] = await opened(db, row[f] as string | null);
  return rows;
}

/** A jsonb value that was sealed (a JSON string), parsed; an unsealed object as it is. */
export async function openedJson<T>(db: Queryable, value: unknown): Promise<T | null> {
  if (typeof value !== 'string') return (value ?? null) as T | null;
  const text = await opened(db, value);
  return text === null || text === '[erased]' ? null : (JSON.parse(text) as T);
}

/** Sealed bytes (raw mail, attachments) opened; null once erased. */
export async function openedBytes(db: Queryable, value: Buffer): Promise<Buffer | null> {
  const subjectId = sealedBytesSubject(value);
  if (!subjectId) return value;
  const key = await keyOf(db, subjectId);
  return key ? openBytes(key, subjectId, value) : null;
}

/** A checklist's evidence as it was read (sealChecklist seals each element's evidence as one JSON value). */
export async function openedChecklist<T extends { elements: Record<string, { evidence: string[] } | undefined> }>(
  db: Queryable,
  checklist: T,
): Promise<T> {
  for (const element of Object.values(checklist.elements)) {
    if (!element || element.evidence.length !== 1) continue;
    const text = await opened(db, element.evidence[0]);
    if (text !== element.evidence[0])
      element.evidence = text === '[erased]' ? [] : (JSON.parse(text ?? '[]') as string[]);
  }
  return checklist;
}
