/**
 * `SCOUT_EGRESS_ALLOW`: hosts (`host` or `host:port`) Scout may reach even
 * though they are private or local, e.g. a WordPress on the developer's own
 * machine. Kept apart from the guard so config.ts can check the setting
 * without loading an HTTP client.
 */
export interface AllowedHost {
  /** As `URL.hostname` spells it: lower case, IPv6 in brackets, IPv4 in dotted form. */
  hostname: string;
  /** Unset: any port. */
  port: number | undefined;
}

/** One entry, or a sentence saying what is wrong with it. */
export function parseAllowedHost(entry: string): AllowedHost | string {
  const text = entry.trim();
  if (text.includes('://')) return `"${text}" is a URL; give only the host (and port), e.g. localhost:8080`;
  let host = text;
  let port: string | undefined;
  if (text.startsWith('[')) {
    const close = text.indexOf(']');
    if (close < 0) return `"${text}" has no closing ]`;
    host = text.slice(0, close + 1);
    const rest = text.slice(close + 1);
    if (rest !== '') {
      if (!rest.startsWith(':')) return `"${text}" must be [ipv6] or [ipv6]:port`;
      port = rest.slice(1);
    }
  } else {
    const colons = text.split(':').length - 1;
    if (colons === 1) [host, port] = text.split(':') as [string, string];
    // Several colons and no brackets: a bare IPv6 address, any port.
    else if (colons > 1) host = `[${text}]`;
  }
  if (host === '' || host.includes('/') || host.includes('@') || !URL.canParse(`http://${host}/`)) return `"${text}" is not a host name or address`;
  let portNumber: number | undefined;
  if (port !== undefined) {
    portNumber = Number(port);
    if (port === '' || !Number.isInteger(portNumber) || portNumber < 1 || portNumber > 65535) return `"${text}" has a port that is not a number from 1 to 65535`;
  }
  // The URL parser canonicalizes (LOCALHOST -> localhost, 127.1 -> 127.0.0.1), as it does for the URLs checked later.
  return { hostname: new URL(`http://${host}/`).hostname, port: portNumber };
}

/** The comma-separated setting: the entries, or the problems found. */
export function parseAllowList(value: string): { hosts: AllowedHost[]; problems: string[] } {
  const hosts: AllowedHost[] = [];
  const problems: string[] = [];
  for (const entry of value.split(',')) {
    if (entry.trim() === '') continue;
    const parsed = parseAllowedHost(entry);
    if (typeof parsed === 'string') problems.push(parsed);
    else hosts.push(parsed);
  }
  return { hosts, problems };
}

/** True when `url`'s host (and port, if the entry names one) is on the list. */
export function isAllowedHost(hosts: readonly AllowedHost[], url: URL): boolean {
  const port = url.port === '' ? (url.protocol === 'https:' ? 443 : 80) : Number(url.port);
  return hosts.some((h) => h.hostname === url.hostname && (h.port === undefined || h.port === port));
}
