import { readdir, readFile, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type * as Vite from 'vite';
import type { Logger } from './logger';

/** Inputs of the web bundle: a change to any of them makes the bundle stale. */
const INPUTS = ['src/web', 'src/shared', 'vite.config.ts', 'package.json'];
const STAMP = '.build-stamp';

export interface WebBuildPaths {
  appRoot: string;
  outDir: string;
}

/** Builds the web bundle with Vite when it is missing or older than its sources. */
export async function ensureWebBuild(paths: WebBuildPaths, logger: Logger, force = false): Promise<'fresh' | 'built'> {
  const newestInput = await newestMtime(INPUTS.map((p) => path.join(paths.appRoot, p)));
  const stamp = await readFile(path.join(paths.outDir, STAMP), 'utf8').catch(() => '');
  if (!force && stamp.trim() === String(newestInput)) return 'fresh';

  logger.info('building the web app (first start, or its sources changed)');
  const started = performance.now();
  let vite: typeof Vite;
  try {
    vite = await import('vite');
  } catch {
    throw new Error('the web app needs building but Vite is not installed; run "npm install" (with dev dependencies)');
  }
  await vite.build({ configFile: path.join(paths.appRoot, 'vite.config.ts'), root: path.join(paths.appRoot, 'src/web'), logLevel: 'warn' });
  await writeFile(path.join(paths.outDir, STAMP), String(newestInput));
  logger.info({ durationMs: Math.round(performance.now() - started) }, 'web app built');
  return 'built';
}

async function newestMtime(entries: string[]): Promise<number> {
  let newest = 0;
  for (const entry of entries) {
    const info = await stat(entry).catch(() => undefined);
    if (!info) continue;
    if (info.isDirectory()) {
      const children = await readdir(entry);
      newest = Math.max(newest, await newestMtime(children.map((child) => path.join(entry, child))));
    } else {
      newest = Math.max(newest, Math.floor(info.mtimeMs));
    }
  }
  return newest;
}
