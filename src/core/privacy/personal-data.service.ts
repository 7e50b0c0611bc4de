import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { createHmac, randomBytes, randomUUID } from 'node:crypto';
import { DataSource, type EntityManager } from 'typeorm';
import { ConfigError } from '../config/validate-env';
import { type Kek, privacyConfig, type PrivacyConfig } from '../config/privacy.config';
import { SubjectKind } from './data-subject.entity';
import {
  newDataKey,
  openBytes,
  openText,
  parseSealedText,
  sealBytes,
  sealBytesInPlace,
  sealedBytesSubject,
  sealText,
  unwrapKey,
  wrapKey,
} from './envelope';

/** What a sealed value reads once its subject's key is gone. */
export const ERASED = '[erased]';
/** What a sealed value reads while a parent's request for a minor's data is open. */
export const WITHHELD = '[withheld]';

export interface OpenOptions {
  /**
   * Read a minor's withheld data too. Only the erasure itself does (it must find the person's words elsewhere to
   * remove them); every view, letter, export and job reads WITHHELD.
   */
  includeWithheld?: boolean;
  /**
   * Subjects' keys as the statement that read the sealed values read them too (subjectKeyColumns): used for those
   * subjects instead of looking their keys up again. An erasure committed before that statement shows in it.
   */
  keys?: readonly SubjectKeyRow[];
}

export interface OpenBufferOptions extends OpenOptions {
  /** The caller has no further use for the sealed Buffer: the plaintext may be written over it (no second copy). */
  inPlace?: boolean;
}

/** A subject's key as a statement reads it from data_subjects: no wrapped_key once the subject is erased. */
export interface SubjectKeyRow {
  id: string;
  wrapped_key: Buffer | null;
  kek_id: string | null;
  suppressed_at: Date | null;
}

type SubjectKey = { key: Buffer; withheld: boolean } | 'erased';
const SUBJECT_KEY_COLUMNS = `id, CASE WHEN erased_at IS NULL THEN wrapped_key END AS wrapped_key, kek_id, suppressed_at`;

/**
 * The select list of a subject's key for a statement that joins data_subjects as `alias`, each column named
 * `key_<column>` (SubjectKeyColumns): the caller reads the key with the sealed row, and gives subjectKeyOf(row) to
 * open() as `keys`.
 */
export function subjectKeyColumns(alias: string): string {
  return `${alias}.id AS key_id, CASE WHEN ${alias}.erased_at IS NULL THEN ${alias}.wrapped_key END AS key_wrapped_key,
          ${alias}.kek_id AS key_kek_id, ${alias}.suppressed_at AS key_suppressed_at`;
}

/** The columns subjectKeyColumns names, as a row has them (all null when the join found no subject). */
export interface SubjectKeyColumns {
  key_id: string | null;
  key_wrapped_key: Buffer | null;
  key_kek_id: string | null;
  key_suppressed_at: Date | null;
}

/** The key a row read with subjectKeyColumns, for OpenOptions.keys: none when the row found no subject. */
export function subjectKeyOf(row: SubjectKeyColumns): SubjectKeyRow[] {
  if (!row.key_id) return [];
  return [
    { id: row.key_id, wrapped_key: row.key_wrapped_key, kek_id: row.key_kek_id, suppressed_at: row.key_suppressed_at },
  ];
}

const LOOKUP_KEY = 'lookup';

/**
 * Seals and opens personal data (envelope encryption per data subject, core/privacy/envelope.ts), finds a subject by
 * e-mail address through a keyed hash, and erases a subject by deleting its key. Every read of personal data goes
 * through open(), which is also where a minor's withheld data is hidden.
 */
@Injectable()
export class PersonalData implements OnModuleInit {
  private lookupKey?: Buffer;
  /**
   * Subjects' keys as one transaction has read them: a notice's intake seals its text, fields, parties, checklist
   * and stored answer under one subject, and need not read its key five times. Only for a transaction's own manager
   * (it ends with the transaction); erase and withhold in it forget what they change.
   */
  private readonly inTransaction = new WeakMap<EntityManager, Map<string, SubjectKey>>();
  /** Likewise the subjects found or made by address (keyed hash to subject id): a sweep asks for its uploaders' four times. */
  private readonly hashesInTransaction = new WeakMap<EntityManager, Map<string, string>>();

  constructor(
    @Inject(privacyConfig.KEY) private readonly config: PrivacyConfig,
    private readonly dataSource: DataSource,
  ) {}

  /** Creates the shared keys on first boot; stops the process when PRIVACY_KEK does not unwrap what is stored. */
  async onModuleInit(): Promise<void> {
    const m = this.dataSource.manager;
    const fresh = randomBytes(32);
    await m.query(
      `INSERT INTO privacy_keys (name, wrapped_key, kek_id) VALUES ($1, $2, $3) ON CONFLICT (name) DO NOTHING`,
      [LOOKUP_KEY, wrapKey(this.config.kek.key, fresh, LOOKUP_KEY), this.config.kek.id],
    );
    const [row] = await m.query<{ wrapped_key: Buffer; kek_id: string }[]>(
      `SELECT wrapped_key, kek_id FROM privacy_keys WHERE name = $1`,
      [LOOKUP_KEY],
    );
    this.lookupKey = this.unwrapOrStop(row.wrapped_key, row.kek_id, LOOKUP_KEY, 'the keyring');
    const [subject] = await m.query<{ id: string; wrapped_key: Buffer; kek_id: string }[]>(
      `SELECT id, wrapped_key, kek_id FROM data_subjects WHERE wrapped_key IS NOT NULL ORDER BY created_at DESC LIMIT 1`,
    );
    if (subject) this.unwrapOrStop(subject.wrapped_key, subject.kek_id, subject.id, `data subject ${subject.id}`);
  }

  /** The keyed hash of a normalised address: how a subject, a party or a letter is found by e-mail. */
  hashEmail(email: string): string {
    if (!this.lookupKey) throw new Error('PersonalData used before it was initialised');
    return createHmac('sha256', this.lookupKey).update(normaliseEmail(email)).digest('base64url');
  }

  /** The subject an address belongs to, created on first sight; a new subject of its own when there is none. */
  async subject(m: EntityManager, email: string | null | undefined, kind = SubjectKind.Person): Promise<string> {
    return (await this.subjects(m, [email], kind))[0];
  }

  /**
   * subject() for several addresses at once, in order: the known subjects in one statement and the new ones in
   * another, whatever their number. An address given twice is one subject; each absent address is a new subject.
   */
  async subjects(
    m: EntityManager,
    emails: readonly (string | null | undefined)[],
    kind = SubjectKind.Person,
  ): Promise<string[]> {
    const hashes = emails.map((e) => (e?.trim() ? this.hashEmail(e) : null));
    const known = m.queryRunner?.isTransactionActive ? this.hashesOf(m) : undefined;
    const idOf = new Map<string, string>();
    for (const h of hashes) if (h && known?.has(h)) idOf.set(h, known.get(h)!);
    // Sorted, so that two transactions creating the same addresses' subjects take their index entries in one order.
    const wanted = [...new Set(hashes.filter((h): h is string => h !== null && !idOf.has(h)))].sort();
    // The subject's key comes with it, for the sealing that follows in the same transaction: one round trip, not two.
    if (wanted.length > 0) {
      const rows = await m.query<(SubjectKeyRow & { email_hash: string })[]>(
        `SELECT ${SUBJECT_KEY_COLUMNS}, email_hash FROM data_subjects
         WHERE email_hash = ANY($1::text[]) AND wrapped_key IS NOT NULL`,
        [wanted],
      );
      for (const row of rows) {
        this.remember(m, row.id, this.keyOfRow(row), row.email_hash);
        idOf.set(row.email_hash, row.id);
      }
    }
    const fresh = [...wanted.filter((h) => !idOf.has(h)), ...hashes.filter((h) => h === null)].map((hash) => ({
      id: randomUUID(),
      hash,
      key: newDataKey(),
    }));
    if (fresh.length > 0) {
      const created = await m.query<{ id: string }[]>(
        `INSERT INTO data_subjects (id, kind, email_hash, wrapped_key, kek_id)
         SELECT id, $2, email_hash, wrapped_key, $3 FROM unnest($1::uuid[], $4::text[], $5::bytea[])
           AS s(id, email_hash, wrapped_key)
         ON CONFLICT (email_hash) WHERE email_hash IS NOT NULL DO NOTHING RETURNING id`,
        [
          fresh.map((f) => f.id),
          kind,
          this.config.kek.id,
          fresh.map((f) => f.hash),
          fresh.map((f) => wrapKey(this.config.kek.key, f.key, f.id)),
        ],
      );
      const ids = new Set(created.map((r) => r.id));
      for (const f of fresh.filter((f) => ids.has(f.id))) {
        this.remember(m, f.id, { key: f.key, withheld: false }, f.hash ?? undefined);
        if (f.hash) idOf.set(f.hash, f.id);
      }
      // Another transaction created the same address's subject a moment ago.
      const raced = fresh.filter((f) => f.hash && !ids.has(f.id)).map((f) => f.hash!);
      if (raced.length > 0) {
        const rows = await m.query<{ id: string; email_hash: string }[]>(
          `SELECT id, email_hash FROM data_subjects WHERE email_hash = ANY($1::text[])`,
          [raced],
        );
        for (const row of rows) idOf.set(row.email_hash, row.id);
      }
    }
    const own = fresh.filter((f) => f.hash === null).map((f) => f.id);
    return hashes.map((h) => (h ? idOf.get(h)! : own.shift()!));
  }

  /** The subject whose address hashes to this, if any: staff's and a request's search by e-mail. */
  async findSubject(m: EntityManager, email: string): Promise<string | null> {
    const [row] = await m.query<{ id: string }[]>(`SELECT id FROM data_subjects WHERE email_hash = $1`, [
      this.hashEmail(email),
    ]);
    return row?.id ?? null;
  }

  async seal(m: EntityManager, subjectId: string, value: string | null | undefined): Promise<string | null> {
    if (value === null || value === undefined) return null;
    return sealText(await this.sealingKey(m, subjectId), subjectId, value);
  }

  /** Seals several values under one subject with one key look-up; null and undefined stay as they are. */
  async sealAll<T extends readonly (string | null | undefined)[]>(
    m: EntityManager,
    subjectId: string,
    values: T,
  ): Promise<{ [K in keyof T]: string | null }> {
    const key = await this.sealingKey(m, subjectId);
    return values.map((v) => (v === null || v === undefined ? null : sealText(key, subjectId, v))) as {
      [K in keyof T]: string | null;
    };
  }

  /** sealAll for several subjects' values with one key look-up for them all, in order. */
  async sealMany(
    m: EntityManager,
    items: readonly { subjectId: string; values: readonly (string | null | undefined)[] }[],
  ): Promise<(string | null)[][]> {
    const keys = await this.keysOf(
      m,
      items.map((i) => i.subjectId),
    );
    return items.map(({ subjectId, values }) => {
      const key = keys.get(subjectId);
      if (!key || key === 'erased')
        throw new Error(`Data subject ${subjectId} is erased: nothing can be sealed for it`);
      return values.map((v) => (v === null || v === undefined ? null : sealText(key.key, subjectId, v)));
    });
  }

  /** A value for a jsonb column: the JSON text, sealed, stored as a JSON string. */
  async sealJson(m: EntityManager, subjectId: string, value: unknown): Promise<string | null> {
    if (value === null || value === undefined) return null;
    return this.seal(m, subjectId, JSON.stringify(value));
  }

  async sealBuffer(m: EntityManager, subjectId: string, value: Buffer): Promise<Buffer> {
    return sealBytes(await this.sealingKey(m, subjectId), subjectId, value);
  }

  /** sealBuffer over bytes that lie after SEALED_BYTES_OVERHEAD bytes of room in `room`, in place (see envelope). */
  async sealBufferInPlace(m: EntityManager, subjectId: string, room: Buffer): Promise<Buffer> {
    return sealBytesInPlace(await this.sealingKey(m, subjectId), subjectId, room);
  }

  /**
   * Opens values in one batch, in order: a sealed value reads its plaintext, ERASED once its subject is erased, or
   * WITHHELD while its subject is withheld; anything unsealed (written before sealing began) reads as it is.
   */
  async open(
    m: EntityManager,
    values: readonly (string | null | undefined)[],
    options: OpenOptions = {},
  ): Promise<(string | null)[]> {
    const sealed = values.map((v) => (typeof v === 'string' ? parseSealedText(v) : null));
    const keys = await this.keysOf(
      m,
      sealed.flatMap((s) => (s ? [s.subjectId] : [])),
      options.keys,
    );
    return values.map((v, i) => {
      const s = sealed[i];
      if (!s) return v ?? null;
      const key = keys.get(s.subjectId) ?? 'erased';
      if (key === 'erased') return ERASED;
      if (key.withheld && !options.includeWithheld) return WITHHELD;
      return openText(key.key, s);
    });
  }

  async openOne(m: EntityManager, value: string | null | undefined, options?: OpenOptions): Promise<string | null> {
    return (await this.open(m, [value], options))[0];
  }

  /** Opens the named fields of each row in place (one batch for all rows), and returns the rows. */
  async openRows<T extends object>(m: EntityManager, rows: T[], fields: readonly (keyof T)[], options?: OpenOptions) {
    const values = rows.flatMap((row) => fields.map((f) => row[f] as unknown as string | null));
    const opened = await this.open(m, values, options);
    rows.forEach((row, r) =>
      fields.forEach((f, i) => ((row as Record<keyof T, unknown>)[f] = opened[r * fields.length + i])),
    );
    return rows;
  }

  /** A jsonb value written by sealJson (or, from before sealing, the object itself); null once erased or withheld. */
  async openJson<T>(m: EntityManager, value: unknown, options?: OpenOptions): Promise<T | null> {
    if (typeof value !== 'string') return (value ?? null) as T | null;
    const text = await this.openOne(m, value, options);
    if (text === null || text === ERASED || text === WITHHELD) return null;
    return JSON.parse(text) as T;
  }

  /** Bytes written by sealBuffer (or stored before sealing); null once erased or withheld. */
  async openBuffer(m: EntityManager, value: Buffer, options: OpenBufferOptions = {}): Promise<Buffer | null> {
    const subjectId = sealedBytesSubject(value);
    if (!subjectId) return value;
    const key = (await this.keysOf(m, [subjectId], options.keys)).get(subjectId) ?? 'erased';
    if (key === 'erased' || (key.withheld && !options.includeWithheld)) return null;
    return openBytes(key.key, subjectId, value, options.inPlace);
  }

  /** The subject a sealed value belongs to; null for an unsealed one. */
  subjectOf(value: string | Buffer | null | undefined): string | null {
    if (!value) return null;
    if (Buffer.isBuffer(value)) return sealedBytesSubject(value);
    return parseSealedText(value)?.subjectId ?? null;
  }

  /** Crypto-shredding: deletes the subjects' keys and address hashes; everything sealed with them reads ERASED. */
  async erase(m: EntityManager, subjectIds: readonly string[]): Promise<number> {
    if (subjectIds.length === 0) return 0;
    this.forget(m, subjectIds);
    const rows = await m.query<unknown[]>(
      `UPDATE data_subjects SET wrapped_key = NULL, email_hash = NULL, kek_id = NULL, erased_at = now()
       WHERE id = ANY($1::uuid[]) AND erased_at IS NULL RETURNING id`,
      [subjectIds],
    );
    return rows.length;
  }

  /** Withholds (or releases) the subjects' data from every view, letter, export and job. */
  async withhold(m: EntityManager, subjectIds: readonly string[], withheld: boolean): Promise<void> {
    if (subjectIds.length === 0) return;
    this.forget(m, subjectIds);
    await m.query(
      `UPDATE data_subjects SET suppressed_at = CASE WHEN $2 THEN coalesce(suppressed_at, now()) END
       WHERE id = ANY($1::uuid[])`,
      [subjectIds, withheld],
    );
  }

  /**
   * Re-wraps every key the previous key-encryption key wrapped with the current one (`cli rotate-kek`); in batches,
   * each in its own statement, so that it can be stopped and run again.
   */
  async rotateKek(): Promise<{ rewrapped: number; left: number }> {
    const previous = this.config.previousKek;
    const current = this.config.kek;
    const m = this.dataSource.manager;
    let rewrapped = 0;
    const keys = await m.query<{ name: string; wrapped_key: Buffer; kek_id: string }[]>(
      `SELECT name, wrapped_key, kek_id FROM privacy_keys WHERE kek_id <> $1`,
      [current.id],
    );
    for (const k of keys) {
      const plain = unwrapKey(this.kekFor(k.kek_id, previous), k.wrapped_key, k.name);
      await m.query(`UPDATE privacy_keys SET wrapped_key = $2, kek_id = $3 WHERE name = $1`, [
        k.name,
        wrapKey(current.key, plain, k.name),
        current.id,
      ]);
      rewrapped++;
    }
    for (;;) {
      const batch = await m.query<{ id: string; wrapped_key: Buffer; kek_id: string }[]>(
        `SELECT id, wrapped_key, kek_id FROM data_subjects
         WHERE wrapped_key IS NOT NULL AND erased_at IS NULL AND kek_id <> $1 ORDER BY id LIMIT 500`,
        [current.id],
      );
      if (batch.length === 0) break;
      const ids = batch.map((s) => s.id);
      const wrapped = batch.map((s) =>
        wrapKey(current.key, unwrapKey(this.kekFor(s.kek_id, previous), s.wrapped_key, s.id), s.id),
      );
      // Guarded by what was read: a subject erased meanwhile must not get its key back.
      await m.query(
        `UPDATE data_subjects d SET wrapped_key = u.key, kek_id = $3
         FROM unnest($1::uuid[], $2::bytea[], $4::text[]) AS u(id, key, old)
         WHERE d.id = u.id AND d.kek_id = u.old AND d.wrapped_key IS NOT NULL AND d.erased_at IS NULL`,
        [ids, wrapped, current.id, batch.map((s) => s.kek_id)],
      );
      rewrapped += batch.length;
    }
    const [left] = await m.query<{ n: number }[]>(
      `SELECT count(*)::int AS n FROM data_subjects WHERE wrapped_key IS NOT NULL AND kek_id <> $1`,
      [current.id],
    );
    return { rewrapped, left: left.n };
  }

  private async sealingKey(m: EntityManager, subjectId: string): Promise<Buffer> {
    const key = (await this.keysOf(m, [subjectId])).get(subjectId);
    if (!key || key === 'erased') throw new Error(`Data subject ${subjectId} is erased: nothing can be sealed for it`);
    return key.key;
  }

  private forget(m: EntityManager, subjectIds: readonly string[]): void {
    const cached = this.inTransaction.get(m);
    for (const id of subjectIds) cached?.delete(id);
    const hashes = this.hashesInTransaction.get(m);
    if (!hashes) return;
    const gone = new Set(subjectIds);
    for (const [hash, id] of hashes) if (gone.has(id)) hashes.delete(hash);
  }

  /** `given`: keys read by the caller's own statement (OpenOptions.keys), taken as they are for their subjects. */
  private async keysOf(
    m: EntityManager,
    subjectIds: string[],
    given?: readonly SubjectKeyRow[],
  ): Promise<Map<string, SubjectKey>> {
    const keys = new Map<string, SubjectKey>();
    const cached = m.queryRunner?.isTransactionActive ? this.cacheOf(m) : undefined;
    const wanted = new Set(subjectIds);
    for (const row of given ?? []) if (wanted.has(row.id) && !keys.has(row.id)) keys.set(row.id, this.keyOfRow(row));
    const ids = [...wanted].filter((id) => {
      if (keys.has(id)) return false;
      const known = cached?.get(id);
      if (known) keys.set(id, known);
      return !known;
    });
    if (ids.length === 0) return keys;
    const rows = await m.query<SubjectKeyRow[]>(
      `SELECT ${SUBJECT_KEY_COLUMNS} FROM data_subjects WHERE id = ANY($1::uuid[])`,
      [ids],
    );
    for (const row of rows) {
      const key = this.keyOfRow(row);
      keys.set(row.id, key);
      cached?.set(row.id, key);
    }
    return keys;
  }

  private keyOfRow(row: SubjectKeyRow): SubjectKey {
    if (!row.wrapped_key || !row.kek_id) return 'erased';
    return {
      key: unwrapKey(this.kekFor(row.kek_id, this.config.previousKek), row.wrapped_key, row.id),
      withheld: row.suppressed_at !== null,
    };
  }

  /** Keeps a subject's key for the rest of the transaction (outside one, nothing is kept: erasure may come between). */
  private remember(m: EntityManager, subjectId: string, key: SubjectKey, emailHash?: string): void {
    if (!m.queryRunner?.isTransactionActive) return;
    this.cacheOf(m).set(subjectId, key);
    if (emailHash) this.hashesOf(m).set(emailHash, subjectId);
  }

  private cacheOf(m: EntityManager): Map<string, SubjectKey> {
    let cached = this.inTransaction.get(m);
    if (!cached) this.inTransaction.set(m, (cached = new Map<string, SubjectKey>()));
    return cached;
  }

  private hashesOf(m: EntityManager): Map<string, string> {
    let cached = this.hashesInTransaction.get(m);
    if (!cached) this.hashesInTransaction.set(m, (cached = new Map<string, string>()));
    return cached;
  }

  private kekFor(id: string, previous: Kek | null): Buffer {
    if (id === this.config.kek.id) return this.config.kek.key;
    if (previous && id === previous.id) return previous.key;
    throw new ConfigError(
      `PRIVACY_KEK does not unwrap a stored key (wrapped by key ${id}); set PRIVACY_KEK to that key, or to the new key with the old one in PRIVACY_KEK_PREVIOUS`,
    );
  }

  private unwrapOrStop(wrapped: Buffer, id: string, name: string, what: string): Buffer {
    try {
      return unwrapKey(this.kekFor(id, this.config.previousKek), wrapped, name);
    } catch (error) {
      if (error instanceof ConfigError) throw error;
      throw new ConfigError(`PRIVACY_KEK does not unwrap ${what}: the key is not the one that wrapped it`);
    }
  }
}

/** An address as the hash sees it: trimmed and lower-cased (RFC 5321 local parts are case-sensitive; nobody's are). */
export function normaliseEmail(email: string): string {
  return email.trim().toLowerCase();
}
