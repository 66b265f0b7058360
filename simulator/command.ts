import { Command, InvalidArgumentError } from 'commander';
import { startSimulator, type RestrictedUserAccess, type SimulatorOptions } from './index';
import { DEFAULT_CLIENTS } from './oauth';
import { type RateLimitSettings } from './rate-limit';
import { isLocationRestricted } from './roles';

/**
 * `scout simulate`: serve a simulated CommCare HQ until SIGINT/SIGTERM,
 * printing where it listens and the credentials that work against it.
 */

function integer(min: number, max: number) {
  return (value: string): number => {
    const parsed = Number(value);
    if (!/^-?\d+$/.test(value.trim()) || parsed < min || parsed > max) throw new InvalidArgumentError(`expected an integer from ${min} to ${max}`);
    return parsed;
  };
}

function share(value: string): number {
  const parsed = Number(value);
  if (value.trim() === '' || !Number.isFinite(parsed) || parsed < 0 || parsed > 1) throw new InvalidArgumentError('expected a number from 0 to 1');
  return parsed;
}

function list(value: string): string[] {
  return value
    .split(',')
    .map((item) => item.trim())
    .filter(Boolean);
}

function statuses(value: string): number[] {
  return list(value).map((item) => integer(400, 599)(item));
}

/** `off`, or `<requests per second>:<burst>`. */
function rateLimit(value: string): RateLimitSettings | false {
  if (value === 'off') return false;
  const match = /^(\d+(?:\.\d+)?):(\d+)$/.exec(value.trim());
  if (!match || Number(match[1]) <= 0 || Number(match[2]) < 1) throw new InvalidArgumentError("expected 'off' or '<requests per second>:<burst>', e.g. 200:1000");
  return { requestsPerSecond: Number(match[1]), burst: Number(match[2]) };
}

interface CommandOptions {
  port: number;
  host: string;
  seed: number;
  domains: string[];
  cases: number;
  formsPerCase: number;
  tokenTtl: number;
  basePath: string;
  rateLimit?: RateLimitSettings | false;
  errorRate: number;
  errorStatuses: number[];
  latencyMs: number;
  malformedJsonRate: number;
  truncatedBodyRate: number;
  connectionResetRate: number;
  retryAfter: number;
  restrictedAccess: RestrictedUserAccess;
}

function restrictedAccess(value: string): RestrictedUserAccess {
  if (value !== 'deny' && value !== 'filter' && value !== 'unfiltered') throw new InvalidArgumentError("expected 'deny', 'filter' or 'unfiltered'");
  return value;
}

export function simulateCommand(): Command {
  return new Command('simulate')
    .description('run a simulated CommCare HQ (deterministic demo data, real HQ API) for development and tests')
    .option('--port <port>', 'port to listen on (0: any free port)', integer(0, 65535), 8100)
    .option('--host <host>', 'interface to listen on', '127.0.0.1')
    .option('--seed <seed>', 'data seed: the same seed gives the same data', integer(-(2 ** 31), 2 ** 31 - 1), 1)
    .option('--domains <names>', 'comma-separated project spaces', list, ['demo-clinic'])
    .option('--cases <count>', 'cases per domain (generated on demand, any size)', integer(0, 100_000_000), 1000)
    .option('--forms-per-case <count>', 'form submissions per case', integer(0, 50), 2)
    .option('--token-ttl <seconds>', 'OAuth access token lifetime', integer(0, 10 * 365 * 86400), 900)
    .option('--base-path <path>', "serve under a path prefix, e.g. '/simulator'", '')
    .option('--rate-limit <rps:burst|off>', 'per-domain API rate limit (default 200:1000)', rateLimit)
    .option('--error-rate <share>', 'share of data requests answered with an error status', share, 0)
    .option('--error-statuses <codes>', 'statuses for --error-rate', statuses, [500, 502, 503])
    .option('--latency-ms <ms>', 'latency added to every data request', integer(0, 120_000), 0)
    .option('--malformed-json-rate <share>', 'share of data responses that are not JSON', share, 0)
    .option('--truncated-body-rate <share>', 'share of data responses cut in half', share, 0)
    .option('--connection-reset-rate <share>', 'share of data responses whose connection is reset mid-body', share, 0)
    .option('--retry-after <seconds>', 'Retry-After on injected 429s', integer(0, 3600), 1)
    .option('--restricted-access <mode>', "how non-location-safe APIs answer location-restricted users: deny (HQ), filter or unfiltered", restrictedAccess, 'deny')
    .action(async (options: CommandOptions) => {
      const simulatorOptions: Partial<SimulatorOptions> = {
        seed: options.seed,
        domains: options.domains,
        cases: options.cases,
        formsPerCase: options.formsPerCase,
        basePath: options.basePath,
        accessTokenTtlSeconds: options.tokenTtl,
        restrictedUserAccess: options.restrictedAccess,
        faults: {
          errorRate: options.errorRate,
          errorStatuses: options.errorStatuses,
          latencyMs: options.latencyMs,
          malformedJsonRate: options.malformedJsonRate,
          truncatedBodyRate: options.truncatedBodyRate,
          connectionResetRate: options.connectionResetRate,
          retryAfterSeconds: options.retryAfter,
          seed: options.seed,
        },
        ...(options.rateLimit !== undefined ? { rateLimit: options.rateLimit } : {}),
      };
      const running = await startSimulator({ ...simulatorOptions, port: options.port, host: options.host });
      const { url, simulator } = running;

      console.log(`CommCare HQ simulator listening on ${url}`);
      console.log(`  seed ${options.seed}; ${options.cases} cases and ${options.cases * options.formsPerCase} forms per domain: ${options.domains.join(', ')}`);
      console.log('Users (username = email):');
      for (const user of simulator.users) {
        const domains = user.domains.length > 0 ? user.domains.join(', ') : '(no domains)';
        const restricted = Object.values(user.roles).find((role) => isLocationRestricted(role));
        const note = restricted ? `  (${restricted.name}, restricted to ${restricted.locationSiteCodes.join(', ')})` : '';
        console.log(`  ${user.email}  password: ${user.password}  API key: ${user.apiKey}  domains: ${domains}${note}`);
      }
      const [clientId, secret] = Object.entries(DEFAULT_CLIENTS)[0]!;
      console.log(`OAuth: ${url}/oauth/authorize/ and ${url}/oauth/token/ (client ${clientId} / ${secret}; any client_id accepted)`);
      console.log(`Try: curl -H 'Authorization: ApiKey demo@example.com:demo-key' '${url}/a/${options.domains[0]}/api/case/v2/?limit=1'`);
      console.log(`Control: POST ${url}/_sim/faults, POST ${url}/_sim/domains/<domain>/mutate, GET ${url}/_sim; overview: ${url}/`);

      await new Promise<void>((resolve) => {
        const stop = () => resolve();
        process.once('SIGINT', stop);
        process.once('SIGTERM', stop);
      });
      await running.close();
      console.log('Simulator stopped.');
    });
}
