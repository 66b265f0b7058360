import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

/**
 * AES-256-GCM with a ring of keys: the first encrypts, every key decrypts.
 * Ciphertext is `v1.<keyId>.<iv>.<tag>.<data>` (base64url parts), so a value
 * names the key it needs and old values keep working after a new key is added.
 * The additional authenticated data (AAD) binds a ciphertext to its record:
 * a value copied into another row fails to decrypt.
 */
const VERSION = 'v1';
const ALGORITHM = 'aes-256-gcm';
const IV_BYTES = 12;
const KEY_BYTES = 32;
const KEY_ID = /^[A-Za-z0-9_-]{1,32}$/;

export interface KeyRingKey {
  id: string;
  key: Buffer;
}

export class KeyRingError extends Error {
  override name = 'KeyRingError';
}

/** Never carries the plaintext, the key or the ciphertext: safe to log. */
export class DecryptionError extends Error {
  override name = 'DecryptionError';
}

export class KeyRing {
  private readonly keys: Map<string, Buffer>;
  readonly primaryKeyId: string;

  constructor(keys: KeyRingKey[]) {
    const [primary] = keys;
    if (!primary) throw new KeyRingError('the key ring needs at least one key');
    this.keys = new Map();
    for (const { id, key } of keys) {
      if (!KEY_ID.test(id)) throw new KeyRingError(`key id "${id}" may only use letters, digits, "_" and "-" (1-32 characters)`);
      if (key.length !== KEY_BYTES) throw new KeyRingError(`key "${id}" must be ${KEY_BYTES} bytes, got ${key.length}`);
      if (this.keys.has(id)) throw new KeyRingError(`key id "${id}" appears twice`);
      this.keys.set(id, key);
    }
    this.primaryKeyId = primary.id;
  }

  /** Parses `id:base64key[,id:base64key...]`. */
  static parse(spec: string): KeyRing {
    const keys = spec
      .split(',')
      .map((entry) => entry.trim())
      .filter(Boolean)
      .map((entry) => {
        const separator = entry.indexOf(':');
        if (separator <= 0) throw new KeyRingError('each key must be written id:base64key');
        return { id: entry.slice(0, separator), key: Buffer.from(entry.slice(separator + 1), 'base64') };
      });
    return new KeyRing(keys);
  }

  static generateKey(): Buffer {
    return randomBytes(KEY_BYTES);
  }

  get keyIds(): string[] {
    return [...this.keys.keys()];
  }

  encrypt(plaintext: string, aad: string): string {
    const key = this.keys.get(this.primaryKeyId) as Buffer;
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv(ALGORITHM, key, iv);
    cipher.setAAD(Buffer.from(aad, 'utf8'));
    const data = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    const tag = cipher.getAuthTag();
    return [VERSION, this.primaryKeyId, b64(iv), b64(tag), b64(data)].join('.');
  }

  decrypt(ciphertext: string, aad: string): string {
    const parts = ciphertext.split('.');
    if (parts.length !== 5 || parts[0] !== VERSION) throw new DecryptionError('not a Scout v1 ciphertext');
    const [, keyId, iv, tag, data] = parts as [string, string, string, string, string];
    const key = this.keys.get(keyId);
    if (!key) throw new DecryptionError(`key "${keyId}" is not in SCOUT_ENCRYPTION_KEYS`);
    try {
      const decipher = createDecipheriv(ALGORITHM, key, Buffer.from(iv, 'base64url'));
      decipher.setAAD(Buffer.from(aad, 'utf8'));
      decipher.setAuthTag(Buffer.from(tag, 'base64url'));
      return Buffer.concat([decipher.update(Buffer.from(data, 'base64url')), decipher.final()]).toString('utf8');
    } catch {
      throw new DecryptionError(`ciphertext failed authentication with key "${keyId}" (tampered, or bound to another record)`);
    }
  }

  /** The key a ciphertext was made with, without decrypting it. */
  static keyIdOf(ciphertext: string): string | undefined {
    const parts = ciphertext.split('.');
    return parts.length === 5 && parts[0] === VERSION ? parts[1] : undefined;
  }
}

function b64(buffer: Buffer): string {
  return buffer.toString('base64url');
}
