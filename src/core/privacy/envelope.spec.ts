import { createCipheriv, randomBytes, randomUUID } from 'node:crypto';
import {
  kekId,
  newDataKey,
  openBytes,
  openText,
  parseKek,
  parseSealedText,
  sealBytes,
  sealBytesInPlace,
  SEALED_BYTES_OVERHEAD,
  sealedBytesSubject,
  sealText,
  unwrapKey,
  wrapKey,
} from './envelope';

describe('envelope encryption', () => {
  const subject = randomUUID();
  const key = newDataKey();

  it('seals text so that only its subject key opens it, and names the subject', () => {
    const sealed = sealText(key, subject, 'Jane Doe <jane@example.org>');
    expect(sealed).not.toContain('jane');
    const parsed = parseSealedText(sealed)!;
    expect(parsed.subjectId).toBe(subject);
    expect(openText(key, parsed)).toBe('Jane Doe <jane@example.org>');
    expect(() => openText(newDataKey(), parsed)).toThrow();
    expect(() => openText(key, { ...parsed, subjectId: randomUUID() })).toThrow();
  });

  it('gives every seal an IV of its own, across the blocks IVs are cut from, and each opens', () => {
    const seals = Array.from({ length: 1_000 }, () => sealText(key, subject, 'same text'));
    const ivs = seals.map((s) => Buffer.from(parseSealedText(s)!.body, 'base64url').subarray(0, 12).toString('hex'));
    expect(new Set(ivs).size).toBe(1_000);
    expect(new Set(seals).size).toBe(1_000);
    for (const s of seals.slice(250, 260)) expect(openText(key, parseSealedText(s)!)).toBe('same text');
  });

  it('leaves values that were never sealed recognisable as such', () => {
    expect(parseSealedText('jane@example.org')).toBeNull();
    expect(parseSealedText('pd1.not-a-uuid.abc')).toBeNull();
    expect(sealedBytesSubject(Buffer.from('From: jane@example.org\r\n'))).toBeNull();
  });

  it('seals bytes with the subject in a header', () => {
    const raw = Buffer.from('From: jane@example.org\r\n\r\nhello');
    const sealed = sealBytes(key, subject, raw);
    expect(sealed.includes(Buffer.from('jane'))).toBe(false);
    expect(sealedBytesSubject(sealed)).toBe(subject);
    expect(openBytes(key, subject, sealed).equals(raw)).toBe(true);
  });

  it('seals and opens bytes larger than a slice, in the layout bytes were always sealed in', () => {
    const raw = randomBytes(2.5 * 1024 * 1024 + 7);
    const sealed = sealBytes(key, subject, raw);
    expect(sealed.length).toBe(4 + 16 + 12 + 16 + raw.length);
    expect(openBytes(key, subject, sealed).equals(raw)).toBe(true);
    // Sealed as before slicing: magic, subject id, iv, tag, ciphertext of the whole at once.
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', key, iv);
    cipher.setAAD(Buffer.from(subject));
    const body = Buffer.concat([cipher.update(raw), cipher.final()]);
    const old = Buffer.concat([sealed.subarray(0, 20), iv, cipher.getAuthTag(), body]);
    expect(openBytes(key, subject, old).equals(raw)).toBe(true);
    const copy = Buffer.from(sealed);
    expect(openBytes(key, subject, copy, true).equals(raw)).toBe(true);
    const altered = Buffer.from(sealed);
    altered[altered.length - 1] ^= 1;
    expect(() => openBytes(key, subject, altered)).toThrow();
    expect(() => openBytes(newDataKey(), subject, sealed)).toThrow();
    expect(() => openBytes(key, subject, Buffer.from(altered), true)).toThrow();
  });

  it('seals bytes where they lie, after room for the header, as sealBytes would', () => {
    const raw = randomBytes(2.5 * 1024 * 1024 + 7);
    const room = Buffer.alloc(SEALED_BYTES_OVERHEAD + raw.length);
    raw.copy(room, SEALED_BYTES_OVERHEAD);
    const sealed = sealBytesInPlace(key, subject, room);
    expect(sealed.buffer).toBe(room.buffer);
    expect(sealed.length).toBe(sealBytes(key, subject, raw).length);
    expect(sealedBytesSubject(sealed)).toBe(subject);
    expect(sealed.includes(raw.subarray(0, 64))).toBe(false);
    expect(openBytes(key, subject, sealed).equals(raw)).toBe(true);
  });

  it('wraps a data key so that only the same key-encryption key unwraps it', () => {
    const kek = randomBytes(32);
    const wrapped = wrapKey(kek, key, subject);
    expect(unwrapKey(kek, wrapped, subject).equals(key)).toBe(true);
    expect(() => unwrapKey(randomBytes(32), wrapped, subject)).toThrow();
    expect(() => unwrapKey(kek, wrapped, randomUUID())).toThrow();
  });

  it.each([
    ['64 hex digits', 'a'.repeat(64), true],
    ['base64', randomBytes(32).toString('base64'), true],
    ['base64url', randomBytes(32).toString('base64url'), true],
    ['too short', randomBytes(16).toString('base64'), false],
    ['a passphrase', 'correct horse battery staple', false],
  ])('reads a key-encryption key given as %s', (_, text, ok) => {
    expect(parseKek(text) !== null).toBe(ok);
  });

  it('fingerprints a key-encryption key without revealing it', () => {
    const kek = randomBytes(32);
    expect(kekId(kek)).toMatch(/^[0-9a-f]{16}$/);
    expect(kekId(kek)).not.toBe(kekId(randomBytes(32)));
  });
});
