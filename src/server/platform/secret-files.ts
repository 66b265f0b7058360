import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';

/**
 * Development conveniences: secrets Scout generates once into its data
 * directory (mode 0600) so `npm start` needs no set-up. Production refuses to
 * start without them in the environment (see config.ts).
 */
export async function readOrCreateSecretFile(file: string, generate: () => string): Promise<string> {
  const existing = await readSecret(file);
  if (existing !== undefined) return existing;
  await mkdir(path.dirname(file), { recursive: true });
  try {
    // 'wx' makes two processes starting at once agree on one value.
    await writeFile(file, `${generate()}\n`, { mode: 0o600, flag: 'wx' });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
  const created = await readSecret(file);
  if (created === undefined) throw new Error(`could not read ${file}`);
  return created;
}

async function readSecret(file: string): Promise<string | undefined> {
  try {
    const value = (await readFile(file, 'utf8')).trim();
    return value === '' ? undefined : value;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}
