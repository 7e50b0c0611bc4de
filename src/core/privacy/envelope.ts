import {
  type CipherGCM,
  createCipheriv,
  createDecipheriv,
  createHash,
  type DecipherGCM,
  randomBytes,
} from 'node:crypto';

/**
 * Envelope encryption for personal data (crypto-shredding): each data subject has a random 256-bit data key; the
 * data key is stored wrapped (AES-256-GCM) by the key-encryption key from PRIVACY_KEK; every personal value is
 * sealed (AES-256-GCM) by its subject's data key. Deleting the wrapped data key makes every copy of every value
 * sealed with it unreadable, backups included.
 *
 * A sealed text is `pd1.<subject id>.<base64url(iv ‖ tag ‖ ciphertext)>`, so it fits the text and jsonb columns
 * the values always lived in and names the key that opens it. Sealed bytes start with SEALED_BYTES_MAGIC, then the
 * subject id's 16 bytes, then iv ‖ tag ‖ ciphertext. The subject id is also the cipher's additional data, so a
 * value copied under another subject's id does not open.
 */
const TEXT_PREFIX = 'pd1.';
export const SEALED_BYTES_MAGIC = Buffer.from('PD1\0', 'latin1');
const IV_BYTES = 12;
const TAG_BYTES = 16;
export const KEY_BYTES = 32;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** A key-encryption key as configured: 32 bytes, written as 64 hex digits or as base64 (44 characters). */
export function parseKek(value: string): Buffer | null {
  const text = value.trim();
  if (/^[0-9a-f]{64}$/i.test(text)) return Buffer.from(text, 'hex');
  if (/^[A-Za-z0-9+/_-]{43}=?$/.test(text)) {
    const key = Buffer.from(text.replace(/-/g, '+').replace(/_/g, '/'), 'base64');
    if (key.length === KEY_BYTES) return key;
  }
  return null;
}

/** A short public fingerprint of a key-encryption key, stored beside what it wrapped so rotation knows which. */
export function kekId(kek: Buffer): string {
  return createHash('sha256').update('takedown-desk-kek-id').update(kek).digest('hex').slice(0, 16);
}

export function newDataKey(): Buffer {
  return randomBytes(KEY_BYTES);
}

/**
 * IVs are cut from a block of random bytes drawn at once: a `randomBytes` call costs more than the sealing of a short
 * value, and a case seals a dozen. A block is never refilled, only replaced, so an IV handed out is never reused.
 */
const IV_BLOCK_BYTES = IV_BYTES * 256;
let ivBlock = Buffer.alloc(0);
let ivAt = 0;

function nextIv(): Buffer {
  if (ivAt + IV_BYTES > ivBlock.length) {
    ivBlock = randomBytes(IV_BLOCK_BYTES);
    ivAt = 0;
  }
  const iv = ivBlock.subarray(ivAt, ivAt + IV_BYTES);
  ivAt += IV_BYTES;
  return iv;
}

function encrypt(key: Buffer, plaintext: Buffer, aad: Buffer): Buffer {
  const iv = nextIv();
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(aad);
  const body = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return Buffer.concat([iv, cipher.getAuthTag(), body]);
}

/** Throws when the key is wrong or the bytes were altered. */
function decrypt(key: Buffer, sealed: Buffer, aad: Buffer): Buffer {
  const decipher = createDecipheriv('aes-256-gcm', key, sealed.subarray(0, IV_BYTES));
  decipher.setAAD(aad);
  decipher.setAuthTag(sealed.subarray(IV_BYTES, IV_BYTES + TAG_BYTES));
  return Buffer.concat([decipher.update(sealed.subarray(IV_BYTES + TAG_BYTES)), decipher.final()]);
}

export function wrapKey(kek: Buffer, dataKey: Buffer, keyName: string): Buffer {
  return encrypt(kek, dataKey, Buffer.from(`wrap:${keyName}`));
}

/** Throws when this key-encryption key did not wrap it. */
export function unwrapKey(kek: Buffer, wrapped: Buffer, keyName: string): Buffer {
  return decrypt(kek, wrapped, Buffer.from(`wrap:${keyName}`));
}

export function sealText(dataKey: Buffer, subjectId: string, plaintext: string): string {
  const body = encrypt(dataKey, Buffer.from(plaintext, 'utf8'), Buffer.from(subjectId));
  return `${TEXT_PREFIX}${subjectId}.${body.toString('base64url')}`;
}

export function openText(dataKey: Buffer, sealed: SealedText): string {
  return decrypt(dataKey, Buffer.from(sealed.body, 'base64url'), Buffer.from(sealed.subjectId)).toString('utf8');
}

export interface SealedText {
  subjectId: string;
  body: string;
}

/** The subject and ciphertext of a sealed text; null for anything else (a value written before sealing began). */
export function parseSealedText(value: string): SealedText | null {
  if (!value.startsWith(TEXT_PREFIX)) return null;
  const dot = value.indexOf('.', TEXT_PREFIX.length);
  const subjectId = value.slice(TEXT_PREFIX.length, dot);
  if (dot < 0 || !UUID.test(subjectId)) return null;
  return { subjectId, body: value.slice(dot + 1) };
}

/** Bytes are sealed and opened this many at a time, each slice's output copied straight into the result. */
const CIPHER_SLICE_BYTES = 1024 * 1024;

/** `input` through `cipher` into `out` from `at`, a slice at a time: one output Buffer, not three copies of it. */
function cipherInto(cipher: CipherGCM | DecipherGCM, input: Buffer, out: Buffer, at: number): void {
  for (let i = 0; i < input.length; i += CIPHER_SLICE_BYTES) {
    at += cipher.update(input.subarray(i, i + CIPHER_SLICE_BYTES)).copy(out, at);
  }
  // AES-GCM is a stream mode: final() yields no bytes, it only computes (or checks) the tag.
  cipher.final().copy(out, at);
}

/** What sealing adds to bytes: the magic, the subject id, the IV and the tag, before the ciphertext. */
export const SEALED_BYTES_OVERHEAD = SEALED_BYTES_MAGIC.length + 16 + IV_BYTES + TAG_BYTES;

/** Seals `plaintext` into `out` (SEALED_BYTES_OVERHEAD longer), which may be the very buffer it lies in, after room. */
function sealInto(dataKey: Buffer, subjectId: string, plaintext: Buffer, out: Buffer): Buffer {
  const head = SEALED_BYTES_MAGIC.length + 16;
  SEALED_BYTES_MAGIC.copy(out, 0);
  Buffer.from(subjectId.replace(/-/g, ''), 'hex').copy(out, SEALED_BYTES_MAGIC.length);
  const iv = randomBytes(IV_BYTES);
  iv.copy(out, head);
  const cipher = createCipheriv('aes-256-gcm', dataKey, iv);
  cipher.setAAD(Buffer.from(subjectId));
  // In place, each slice is read by the cipher before its ciphertext is copied over it.
  cipherInto(cipher, plaintext, out, SEALED_BYTES_OVERHEAD);
  cipher.getAuthTag().copy(out, head + IV_BYTES);
  return out;
}

/** Sealed bytes are written in place (a message or an attachment may be 25 MB): the same layout as encrypt's. */
export function sealBytes(dataKey: Buffer, subjectId: string, plaintext: Buffer): Buffer {
  return sealInto(dataKey, subjectId, plaintext, Buffer.allocUnsafe(SEALED_BYTES_OVERHEAD + plaintext.length));
}

/**
 * Seals the bytes that follow SEALED_BYTES_OVERHEAD bytes of room in `room` where they lie, and returns `room`, now
 * sealed bytes as sealBytes writes them: no second buffer the size of the message.
 */
export function sealBytesInPlace(dataKey: Buffer, subjectId: string, room: Buffer): Buffer {
  return sealInto(dataKey, subjectId, room.subarray(SEALED_BYTES_OVERHEAD), room);
}

/** The subject of sealed bytes; null for bytes stored before sealing began. */
export function sealedBytesSubject(value: Buffer): string | null {
  if (value.length < SEALED_BYTES_MAGIC.length + 16 + IV_BYTES + TAG_BYTES) return null;
  if (!value.subarray(0, SEALED_BYTES_MAGIC.length).equals(SEALED_BYTES_MAGIC)) return null;
  const hex = value.subarray(SEALED_BYTES_MAGIC.length, SEALED_BYTES_MAGIC.length + 16).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/**
 * Throws when the key is wrong or the bytes were altered (the plaintext is returned only once the tag checks).
 * `inPlace`: the plaintext is written over `sealed` itself (each slice lands before the next one is read), for a
 * caller that has no further use for the sealed bytes; `sealed` is then unusable, whether or not it opened.
 */
export function openBytes(dataKey: Buffer, subjectId: string, sealed: Buffer, inPlace = false): Buffer {
  const box = sealed.subarray(SEALED_BYTES_MAGIC.length + 16);
  const iv = Buffer.from(box.subarray(0, IV_BYTES));
  const tag = Buffer.from(box.subarray(IV_BYTES, IV_BYTES + TAG_BYTES));
  const decipher = createDecipheriv('aes-256-gcm', dataKey, iv);
  decipher.setAAD(Buffer.from(subjectId));
  decipher.setAuthTag(tag);
  const body = box.subarray(IV_BYTES + TAG_BYTES);
  const out = inPlace ? sealed : Buffer.allocUnsafe(body.length);
  cipherInto(decipher, body, out, 0);
  return out.subarray(0, body.length);
}
