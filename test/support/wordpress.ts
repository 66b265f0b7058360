import { execFile, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, statSync } from 'node:fs';
import { chmod, chown, mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { findFreePort } from '../../src/server/platform/net';

/**
 * A real WordPress for integration tests: Debian's `wordpress` package served
 * by PHP's built-in server, on MariaDB listening on a private socket, all in a
 * scratch directory (the verified recipe: shared/reference/wordpress-local.sh).
 *
 * Data directories are kept between starts ("slots", one per running site,
 * claimed with a lock directory), so after the first install a start only
 * boots MariaDB and PHP: about a second. Packages: `apt-get install wordpress
 * php-cli php-mysql mariadb-server` (.ci/run installs them).
 */

export interface WordPressUser {
  username: string;
  /** A fresh application password (one per start), as WordPress shows it: groups of four. */
  appPassword: string;
}

export interface WordPressSite {
  /** e.g. http://127.0.0.1:41234 (WordPress follows whatever host and port it is served on). */
  url: string;
  /** `host:port`, for SCOUT_EGRESS_ALLOW. */
  hostPort: string;
  /** An administrator: may publish, upload media, manage users. */
  admin: WordPressUser;
  /** A subscriber: signs in, may not write posts. */
  subscriber: WordPressUser;
  /** Revokes the user's application passwords and makes a new one (to break, then mend, a connection). */
  replaceApplicationPassword(username: string): Promise<string>;
  stop(): Promise<void>;
}

const run = promisify(execFile);
const WORDPRESS = '/usr/share/wordpress';
const MARIADBD = '/usr/sbin/mariadbd';
const ROOT = process.env.SCOUT_TEST_WORDPRESS_DIR ?? '/tmp/scout-wordpress';
const SLOTS = 8;
/** Bump when the site's set-up below changes, so kept slots are rebuilt. */
const LAYOUT = '1';
const IS_ROOT = process.getuid?.() === 0;

const REQUIRED_FILES = [`${WORDPRESS}/wp-load.php`, MARIADBD, '/usr/bin/php', '/usr/bin/mariadb-install-db'];

/**
 * Whether tests that need WordPress can run: the packages are installed. On
 * CI (`CI=true`) always true, so a missing package fails the run instead of
 * skipping tests, as with the browser tests.
 */
export function wordpressAvailable(): boolean {
  return process.env.CI === 'true' || REQUIRED_FILES.every((file) => existsSync(file));
}

/** Starts (or restarts on a kept data directory) a WordPress site on a free port. */
export async function startWordPress(): Promise<WordPressSite> {
  requirePackages();
  await mkdir(ROOT, { recursive: true });
  // MariaDB runs as the mysql user: every directory above its data must be searchable.
  await chmod(ROOT, 0o755);
  const slot = await claimSlot();
  const processes: number[] = [];
  const killAll = () => {
    for (const pid of processes) {
      try {
        process.kill(-pid, 'SIGTERM');
      } catch {
        // already gone
      }
    }
  };
  process.once('exit', killAll);
  // Kept data is for this set-up and this WordPress package only; an upgrade rebuilds it.
  const marker = path.join(slot.dir, `ready-${LAYOUT}-${Math.round(statSync(`${WORDPRESS}/wp-includes/version.php`).mtimeMs)}`);
  try {
    let site: { url: string; hostPort: string };
    if (existsSync(marker)) {
      try {
        site = await boot(slot, processes, false);
      } catch {
        // A kept data directory that no longer boots (a killed run mid-write): start over.
        await stopSite(slot.dir, processes.splice(0));
        site = await boot(slot, processes, true);
      }
    } else site = await boot(slot, processes, true);
    await writeFile(marker, '');
    const { url, hostPort } = site;
    const passwords = await applicationPasswords(slot.dir, hostPort, ['admin', 'subscriber']);
    return {
      url,
      hostPort,
      admin: { username: 'admin', appPassword: passwords.admin! },
      subscriber: { username: 'subscriber', appPassword: passwords.subscriber! },
      replaceApplicationPassword: async (username) => (await applicationPasswords(slot.dir, hostPort, [username]))[username]!,
      stop: async () => {
        process.removeListener('exit', killAll);
        await stopSite(slot.dir, processes);
        await rm(slot.lock, { recursive: true, force: true });
      },
    };
  } catch (error) {
    await stopSite(slot.dir, processes).catch(() => undefined);
    await rm(slot.lock, { recursive: true, force: true });
    process.removeListener('exit', killAll);
    throw error;
  }
}

/** MariaDB, then PHP's server; `fresh` wipes the slot and installs the site first. */
async function boot(slot: { dir: string; lock: string }, processes: number[], fresh: boolean): Promise<{ url: string; hostPort: string }> {
  if (fresh) {
    for (const entry of await readdir(slot.dir)) await rm(path.join(slot.dir, entry), { recursive: true, force: true });
  }
  const socket = await startMariaDb(slot.dir, fresh, processes);
  if (fresh) await writeSite(slot.dir, socket);
  const port = await findFreePort();
  const hostPort = `127.0.0.1:${port}`;
  const url = `http://${hostPort}`;
  const php = spawn('php', ['-S', hostPort, '-t', path.join(slot.dir, 'site')], {
    detached: true,
    stdio: 'ignore',
    // More than one worker: the installer makes a request back to the site.
    env: { ...process.env, PHP_CLI_SERVER_WORKERS: '4' },
  });
  php.unref();
  processes.push(php.pid!);
  await writeFile(path.join(slot.lock, 'pids'), processes.join(' '));
  await waitFor(async () => (await fetch(`${url}/wp-login.php`, { redirect: 'manual' })).status > 0, 'PHP did not start serving WordPress');
  if (fresh) await install(url);
  return { url, hostPort };
}

function requirePackages(): void {
  const missing = REQUIRED_FILES.filter((file) => !existsSync(file));
  if (missing.length > 0) {
    throw new Error(`The WordPress test harness needs Debian's packages (missing ${missing.join(', ')}): apt-get install -y wordpress php-cli php-mysql mariadb-server`);
  }
}

/**
 * A data directory nobody else is using: `slot-N.lock` is created atomically;
 * a lock whose owner died is taken over, after ending the processes it left.
 */
async function claimSlot(): Promise<{ dir: string; lock: string }> {
  for (let n = 0; n < SLOTS; n++) {
    const dir = path.join(ROOT, `slot-${n}`);
    const lock = `${dir}.lock`;
    for (let attempt = 0; attempt < 2; attempt++) {
      try {
        await mkdir(lock);
        await writeFile(path.join(lock, 'owner'), `${process.pid} ${randomBytes(4).toString('hex')}`);
        await mkdir(dir, { recursive: true });
        return { dir, lock };
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
        const owner = Number((await readFile(path.join(lock, 'owner'), 'utf8').catch(() => '')).split(' ')[0]);
        if (owner && isAlive(owner)) break;
        // A test process that died without stopping its site: end what it started, then take the slot.
        const pids = (await readFile(path.join(lock, 'pids'), 'utf8').catch(() => '')).split(' ').map(Number).filter(Boolean);
        await stopSite(dir, pids);
        await rm(lock, { recursive: true, force: true });
      }
    }
  }
  throw new Error(`All ${SLOTS} WordPress test slots under ${ROOT} are in use`);
}

async function startMariaDb(dir: string, fresh: boolean, processes: number[]): Promise<string> {
  const runDir = path.join(dir, 'run');
  await mkdir(runDir, { recursive: true });
  if (IS_ROOT) await chownToMysql(runDir);
  const socket = path.join(runDir, 'mysqld.sock');
  await rm(socket, { force: true });
  const options = [
    '--no-defaults',
    `--datadir=${path.join(dir, 'db')}`,
    ...(IS_ROOT ? ['--user=mysql'] : []),
    '--innodb-log-file-size=16M',
    '--innodb-buffer-pool-size=64M',
    '--innodb-flush-log-at-trx-commit=0',
  ];
  if (fresh) await run('mariadb-install-db', [...options, '--auth-root-authentication-method=socket', '--skip-test-db']);
  const server = spawn(MARIADBD, [...options, `--socket=${socket}`, '--skip-networking', `--pid-file=${path.join(runDir, 'mysqld.pid')}`, `--log-error=${path.join(runDir, 'mysqld.err')}`], {
    detached: true,
    stdio: 'ignore',
  });
  server.unref();
  processes.push(server.pid!);
  let exited = false;
  server.once('exit', () => (exited = true));
  await waitFor(
    async () => {
      if (exited) throw new Error('MariaDB exited');
      await run('mariadb-admin', ['--no-defaults', '-S', socket, '-u', 'root', 'ping']);
      return true;
    },
    'MariaDB did not start',
    async () => readFile(path.join(runDir, 'mysqld.err'), 'utf8').catch(() => ''),
    30_000,
    () => exited,
  );
  if (fresh) {
    await run('mariadb', [
      '--no-defaults',
      '-S',
      socket,
      '-u',
      'root',
      '-e',
      "CREATE DATABASE wp CHARACTER SET utf8mb4; CREATE USER 'wp'@'localhost' IDENTIFIED BY 'wppass'; GRANT ALL ON wp.* TO 'wp'@'localhost';",
    ]);
  }
  return socket;
}

async function chownToMysql(dir: string): Promise<void> {
  const { stdout: uid } = await run('id', ['-u', 'mysql']);
  const { stdout: gid } = await run('id', ['-g', 'mysql']);
  await chown(dir, Number(uid), Number(gid));
}

/** The docroot: a copy of Debian's WordPress with its own wp-config.php and no mail. */
async function writeSite(dir: string, socket: string): Promise<void> {
  const site = path.join(dir, 'site');
  await run('cp', ['-a', WORDPRESS, site]);
  await mkdir(path.join(site, 'wp-content/mu-plugins'), { recursive: true });
  // No sendmail here: wp_mail() does nothing (the installer sends a "new site" mail).
  await writeFile(path.join(site, 'wp-content/mu-plugins/no-mail.php'), '<?php add_filter("pre_wp_mail", "__return_false");\n');
  const salts = ['AUTH_KEY', 'SECURE_AUTH_KEY', 'LOGGED_IN_KEY', 'NONCE_KEY', 'AUTH_SALT', 'SECURE_AUTH_SALT', 'LOGGED_IN_SALT', 'NONCE_SALT']
    .map((key) => `define('${key}', '${randomBytes(24).toString('hex')}');`)
    .join('\n');
  await writeFile(
    path.join(site, 'wp-config.php'),
    `<?php
define('DB_NAME', 'wp'); define('DB_USER', 'wp'); define('DB_PASSWORD', 'wppass');
define('DB_HOST', 'localhost:${socket}');
define('DB_CHARSET', 'utf8mb4'); define('DB_COLLATE', '');
${salts}
// Application passwords over plain http.
define('WP_ENVIRONMENT_TYPE', 'local');
// Follow whatever host and port the site is served on (siteurl in the database would pin the install's port).
$h = $_SERVER['HTTP_HOST'] ?? (getenv('WP_HOSTPORT') ?: '127.0.0.1');
define('WP_HOME', "http://$h"); define('WP_SITEURL', "http://$h");
define('DISABLE_WP_CRON', true); define('AUTOMATIC_UPDATER_DISABLED', true);
// No internet: fail fast instead of waiting on update checks.
define('WP_HTTP_BLOCK_EXTERNAL', true);
$table_prefix = 'wp_';
if (!defined('ABSPATH')) define('ABSPATH', __DIR__ . '/');
require_once ABSPATH . 'wp-settings.php';
`,
  );
}

async function install(url: string): Promise<void> {
  const form = new URLSearchParams({
    weblog_title: 'Scout test site',
    user_name: 'admin',
    admin_password: 'Adm1n-pass!',
    admin_password2: 'Adm1n-pass!',
    pw_weak: '1',
    admin_email: 'admin@example.com',
    blog_public: '0',
  });
  const response = await fetch(`${url}/wp-admin/install.php?step=2`, { method: 'POST', body: form });
  const page = await response.text();
  if (!page.includes('WordPress has been installed')) throw new Error(`WordPress did not install (HTTP ${response.status})`);
}

/**
 * A new application password for each of `logins` (the subscriber is created
 * on first use), made in-process: no cookie and nonce dance. Earlier
 * passwords of those users are revoked.
 */
async function applicationPasswords(dir: string, hostPort: string, logins: string[]): Promise<Record<string, string>> {
  const script = `
define("WP_USE_THEMES", false); require $argv[1] . "/wp-load.php";
$out = [];
foreach (array_slice($argv, 2) as $login) {
  $role = $login === "admin" ? "administrator" : "subscriber";
  $user = get_user_by("login", $login);
  if (!$user) {
    $id = wp_insert_user(["user_login" => $login, "user_pass" => wp_generate_password(24), "user_email" => "$login@example.com", "role" => $role, "display_name" => ucfirst($login)]);
    if (is_wp_error($id)) { fwrite(STDERR, $id->get_error_message()); exit(1); }
    $user = get_user_by("id", $id);
  }
  WP_Application_Passwords::delete_all_application_passwords($user->ID);
  $created = WP_Application_Passwords::create_new_application_password($user->ID, ["name" => "scout-test"]);
  if (is_wp_error($created)) { fwrite(STDERR, $created->get_error_message()); exit(1); }
  $out[$login] = WP_Application_Passwords::chunk_password($created[0]);
}
echo json_encode($out);`;
  const { stdout } = await run('php', ['-r', script, path.join(dir, 'site'), ...logins], { env: { ...process.env, WP_HOSTPORT: hostPort } });
  return JSON.parse(stdout) as Record<string, string>;
}

async function stopSite(dir: string, pids: number[]): Promise<void> {
  const socket = path.join(dir, 'run/mysqld.sock');
  // A clean shutdown keeps the data directory usable for the next start.
  if (existsSync(socket)) await run('mariadb-admin', ['--no-defaults', '-S', socket, '-u', 'root', 'shutdown']).catch(() => undefined);
  for (const pid of pids) {
    try {
      process.kill(-pid, 'SIGTERM');
    } catch {
      // already gone
    }
  }
  await waitFor(async () => pids.every((pid) => !isAlive(pid)), 'WordPress processes did not stop', undefined, 20_000).catch(() => {
    for (const pid of pids) {
      try {
        process.kill(-pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
  });
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Polls `check` until it passes; `gaveUp` (the process exited) ends the wait early. */
async function waitFor(check: () => Promise<boolean>, failure: string, details?: () => Promise<string>, timeoutMs = 30_000, gaveUp: () => boolean = () => false): Promise<void> {
  const started = performance.now();
  for (;;) {
    try {
      if (await check()) return;
    } catch {
      // not yet
    }
    if (gaveUp() || performance.now() - started > timeoutMs) throw new Error(`${failure}${gaveUp() ? '' : ` within ${timeoutMs / 1000} s`}${details ? `:\n${await details()}` : ''}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
