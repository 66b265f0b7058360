import path from 'node:path';
import type { Config } from '../../config';
import { readOrCreateSecretFile } from '../secret-files';
import { KeyRing } from './keyring';

/** From SCOUT_ENCRYPTION_KEYS, or in development a key generated once under the data directory. */
export async function loadKeyRing(config: Pick<Config, 'encryptionKeys' | 'dataDir'>): Promise<KeyRing> {
  if (config.encryptionKeys) return KeyRing.parse(config.encryptionKeys);
  const spec = await readOrCreateSecretFile(path.join(config.dataDir, 'encryption-keys'), () => `dev1:${KeyRing.generateKey().toString('base64')}`);
  return KeyRing.parse(spec);
}
