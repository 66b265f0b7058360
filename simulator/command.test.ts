import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

/** `simulate` as a real process: prints where it listens and the credentials, serves, stops on SIGTERM. */

const root = fileURLToPath(new URL('..', import.meta.url));

function runSimulate(args: string[]): { output: () => string; waitFor: (pattern: RegExp) => Promise<RegExpMatchArray>; stop: () => Promise<number | null> } {
  const script = `import { simulateCommand } from './simulator/command.ts';
await simulateCommand().parseAsync(${JSON.stringify(args)}, { from: 'user' });`;
  const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const listeners: (() => void)[] = [];
  const onData = (chunk: Buffer) => {
    output += chunk.toString();
    for (const listener of listeners) listener();
  };
  child.stdout.on('data', onData);
  child.stderr.on('data', onData);
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return {
    output: () => output,
    waitFor: (pattern) =>
      new Promise((resolve, reject) => {
        const check = () => {
          const match = pattern.exec(output);
          if (match) resolve(match);
        };
        listeners.push(check);
        check();
        void exited.then(() => reject(new Error(`simulate exited before printing ${pattern}:\n${output}`)));
      }),
    stop: async () => {
      child.kill('SIGTERM');
      return exited;
    },
  };
}

describe('scout simulate', () => {
  it('serves the configured domains and prints the users, then stops on SIGTERM', async () => {
    const run = runSimulate(['--port', '0', '--seed', '3', '--domains', 'alpha-clinic,beta-clinic', '--cases', '40', '--rate-limit', 'off']);
    const [, url] = await run.waitFor(/listening on (http:\/\/\S+)/);
    await run.waitFor(/Control:/);
    const output = run.output();
    expect(output).toContain('demo@example.com  password: demo-password  API key: demo-key  domains: alpha-clinic, beta-clinic');
    expect(output).toContain('limited@example.com  password: limited-password  API key: limited-key  domains: alpha-clinic');
    expect(output).toContain('outsider@example.com  password: outsider-password  API key: outsider-key  domains: (no domains)');

    const response = await fetch(`${url}/a/beta-clinic/api/case/v2/?limit=1`, { headers: { Authorization: 'ApiKey demo@example.com:demo-key' } });
    expect(response.status).toBe(200);
    expect(((await response.json()) as { matching_records: number }).matching_records).toBe(40);

    expect(await run.stop()).toBe(0);
    expect(run.output()).toContain('Simulator stopped.');
  });

  it('rejects bad flags', async () => {
    const run = runSimulate(['--port', '0', '--error-rate', '2']);
    await expect(run.waitFor(/never/)).rejects.toThrow(/expected a number from 0 to 1/);
  });
});
