import { describe, expect, it } from 'vitest';
import { DecryptionError, KeyRing, KeyRingError } from './keyring';

const keyA = Buffer.alloc(32, 1).toString('base64');
const keyB = Buffer.alloc(32, 2).toString('base64');

describe('KeyRing', () => {
  it('round-trips text, including unicode, in the v1 format naming its key', () => {
    const ring = KeyRing.parse(`a:${keyA}`);
    const ciphertext = ring.encrypt('demo@example.com:s3cr3t-ключ', 'tenant_credential.secret:42');
    expect(ciphertext).toMatch(/^v1\.a\.[\w-]+\.[\w-]+\.[\w-]+$/);
    expect(ciphertext).not.toContain('s3cr3t');
    expect(ring.decrypt(ciphertext, 'tenant_credential.secret:42')).toBe('demo@example.com:s3cr3t-ключ');
  });

  it('uses a fresh IV for every encryption', () => {
    const ring = KeyRing.parse(`a:${keyA}`);
    expect(ring.encrypt('same', 'aad')).not.toBe(ring.encrypt('same', 'aad'));
  });

  it('fails with a key that is not in the ring', () => {
    const ciphertext = KeyRing.parse(`a:${keyA}`).encrypt('secret', 'aad');
    expect(() => KeyRing.parse(`b:${keyB}`).decrypt(ciphertext, 'aad')).toThrow(DecryptionError);
    expect(() => KeyRing.parse(`b:${keyB}`).decrypt(ciphertext, 'aad')).toThrow(/key "a" is not in SCOUT_ENCRYPTION_KEYS/);
  });

  it('fails when the key id is right but the key material is wrong', () => {
    const ciphertext = KeyRing.parse(`a:${keyA}`).encrypt('secret', 'aad');
    expect(() => KeyRing.parse(`a:${keyB}`).decrypt(ciphertext, 'aad')).toThrow(DecryptionError);
  });

  it('detects tampering with the data, the tag or the iv', () => {
    const ring = KeyRing.parse(`a:${keyA}`);
    const parts = ring.encrypt('secret value', 'aad').split('.');
    for (const index of [2, 3, 4]) {
      const tampered = [...parts];
      const bytes = Buffer.from(tampered[index]!, 'base64url');
      bytes[0] = bytes[0]! ^ 0xff;
      tampered[index] = bytes.toString('base64url');
      expect(() => ring.decrypt(tampered.join('.'), 'aad')).toThrow(DecryptionError);
    }
  });

  it('refuses a ciphertext moved to another record (wrong AAD)', () => {
    const ring = KeyRing.parse(`a:${keyA}`);
    const ciphertext = ring.encrypt('secret', 'tenant_credential.secret:1');
    expect(() => ring.decrypt(ciphertext, 'tenant_credential.secret:2')).toThrow(DecryptionError);
  });

  it('encrypts with the first key and decrypts with any key in the ring', () => {
    const old = KeyRing.parse(`a:${keyA}`).encrypt('secret', 'aad');
    const rotated = KeyRing.parse(`b:${keyB},a:${keyA}`);
    expect(rotated.decrypt(old, 'aad')).toBe('secret');
    expect(KeyRing.keyIdOf(rotated.encrypt('secret', 'aad'))).toBe('b');
  });

  it('never puts the plaintext or the key in an error message', () => {
    const ring = KeyRing.parse(`a:${keyA}`);
    const ciphertext = ring.encrypt('hunter2-secret', 'aad');
    try {
      ring.decrypt(ciphertext, 'other');
      expect.unreachable();
    } catch (error) {
      expect(String(error)).not.toContain('hunter2');
      expect(String(error)).not.toContain(keyA);
    }
  });

  it.each([
    ['', /at least one key/],
    ['nocolon', /id:base64key/],
    [`a:${Buffer.alloc(16).toString('base64')}`, /must be 32 bytes/],
    [`a:${keyA},a:${keyB}`, /appears twice/],
    [`bad id!:${keyA}`, /letters, digits/],
  ])('rejects the key ring spec %j', (spec, message) => {
    expect(() => KeyRing.parse(spec)).toThrow(KeyRingError);
    expect(() => KeyRing.parse(spec)).toThrow(message);
  });

  it('rejects text that is not a v1 ciphertext', () => {
    expect(() => KeyRing.parse(`a:${keyA}`).decrypt('plain text', 'aad')).toThrow(/not a Scout v1 ciphertext/);
  });
});
