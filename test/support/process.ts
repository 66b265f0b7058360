import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { APP_ROOT } from '../../src/server/main';

export interface ScoutProcess {
  child: ChildProcess;
  stdout: () => string;
  stderr: () => string;
  exit: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** Runs the real `scout` CLI as a separate process, the way a user does. */
export function runScout(args: string[], env: Record<string, string | undefined>): ScoutProcess {
  const merged: Record<string, string> = {};
  for (const [key, value] of Object.entries({ ...process.env, LOG_LEVEL: 'info', ...env })) {
    if (value !== undefined) merged[key] = value;
  }
  const child = spawn(process.execPath, [path.join(APP_ROOT, 'bin/scout.mjs'), ...args], { cwd: APP_ROOT, env: merged, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout?.on('data', (chunk: Buffer) => (out += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (err += chunk.toString()));
  const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  return { child, stdout: () => out, stderr: () => err, exit };
}

/** Polls /healthz until it answers ok, or the process exits. */
export async function waitForHealthy(baseUrl: string, scout: ScoutProcess, timeoutMs = 60_000): Promise<number> {
  const started = performance.now();
  let exited = false;
  void scout.exit.then(() => (exited = true));
  while (performance.now() - started < timeoutMs) {
    if (exited) throw new Error(`scout exited before becoming healthy:\n${scout.stderr()}\n${scout.stdout()}`);
    try {
      const response = await fetch(`${baseUrl}/healthz`);
      if (response.ok) return performance.now() - started;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`scout did not become healthy within ${timeoutMs} ms`);
}

/** PIDs of live (non-zombie) processes whose command line mentions `text`. */
export function processesMentioning(text: string): number[] {
  const listing = execFileSync('ps', ['-eo', 'pid=,stat=,args='], { encoding: 'utf8' });
  return listing
    .split('\n')
    .map((line) => line.trim().match(/^(\d+)\s+(\S+)\s+(.*)$/))
    .filter((m): m is RegExpMatchArray => m !== null && !m[2]!.startsWith('Z') && m[3]!.includes(text) && !m[3]!.startsWith('ps '))
    .map((m) => Number(m[1]));
}
