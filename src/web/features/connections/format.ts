import type { HqServer } from '@shared/tenants';

/** The server's name as the server list labels it ("Scout demo data"), else its host ("www.commcarehq.org"). */
export function serverName(url: string, servers: readonly HqServer[] | undefined): string {
  return servers?.find((server) => server.url === url)?.label ?? hostOf(url);
}

export function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return url;
  }
}

const DATE = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium' });
const DATE_TIME = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });

/** "12 Mar 2026" in the reader's locale; `full` adds the time, for a tooltip. */
export function formatDate(iso: string, full = false): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return (full ? DATE_TIME : DATE).format(date);
}
