import type { HqServer } from '../../../shared/tenants';
import { trimEnd } from '../../../shared/text';

export const PUBLIC_HQ_SERVERS: HqServer[] = [
  { url: 'https://www.commcarehq.org', label: 'CommCare HQ (www)' },
  { url: 'https://eu.commcarehq.org', label: 'CommCare HQ Europe (eu)' },
  { url: 'https://india.commcarehq.org', label: 'CommCare HQ India (india)' },
];

/** How the built-in simulator is named wherever a server is shown (its host, demo.scout.invalid, never resolves). */
export const DEMO_SERVER_LABEL = 'Scout demo data';

export type Transport = (input: URL, init: RequestInit) => Promise<Response>;

/**
 * The CommCare servers Scout will send credentials to. A fixed list, not any
 * URL a request names: the server fetches from it, so an open list would let
 * anyone aim Scout at internal addresses.
 */
export class HqServerDirectory {
  readonly servers: HqServer[];
  readonly defaultUrl: string;
  private readonly transports = new Map<string, Transport>();

  constructor(options: { configuredBaseUrl?: string | undefined; simulator?: { url: string; transport: Transport } | undefined }) {
    const servers = [...PUBLIC_HQ_SERVERS];
    const configured = (options.configuredBaseUrl === undefined ? undefined : trimEnd(options.configuredBaseUrl, '/'));
    if (configured && !servers.some((s) => s.url === configured)) servers.unshift({ url: configured, label: `CommCare HQ (${new URL(configured).host})` });
    if (options.simulator) {
      servers.push({ url: options.simulator.url, label: DEMO_SERVER_LABEL, description: 'Simulated CommCare, built into Scout', demo: true });
      this.transports.set(options.simulator.url, options.simulator.transport);
    }
    this.servers = servers;
    this.defaultUrl = configured ?? PUBLIC_HQ_SERVERS[0]!.url;
  }

  isAllowed(url: string): boolean {
    return this.servers.some((s) => s.url === url);
  }

  /** The in-process transport for the mounted simulator; the network for everything else. */
  transportFor(url: string): Transport | undefined {
    return this.transports.get(url);
  }

  get simulatorUrl(): string | undefined {
    return [...this.transports.keys()][0];
  }
}
