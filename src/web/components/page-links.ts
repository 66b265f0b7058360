import { createContext } from 'react';

/**
 * Messages from the server that send a person to another page ("Edit it on
 * the Connections page", "Sign in instead?") keep their words and gain a
 * link: the web knows where each page is, the server only names it. One table,
 * so every message that names a page links to it, wherever it is shown.
 */
export const PAGE_LINKS = {
  connections: { pattern: 'Connections page', href: '/settings/connections' },
  data: { pattern: 'Data page', href: '/data' },
  members: { pattern: 'Members page', href: '/settings/members' },
  account: { pattern: 'Account page', href: '/settings/account' },
  connectors: { pattern: 'Connectors page', href: '/connectors' },
  mcp: { pattern: 'MCP access page', href: '/settings/mcp' },
  'sign-in': { pattern: 'Sign in instead?', href: '/sign-in' },
  'sign-up': { pattern: 'Sign up instead?', href: '/sign-up' },
} as const;

export type PageKey = keyof typeof PAGE_LINKS;

/** A page's address where the current page knows better (the sign-up form sends "Sign in instead?" on with its `next`). */
export const PageHrefsContext = createContext<Partial<Record<PageKey, string>>>({});

export type MessagePart = string | { text: string; href: string };

const KEYS = Object.keys(PAGE_LINKS) as PageKey[];

/** A message split into its plain text and the page names in it, each with where it links (a plain scan: no pattern built from strings). */
export function splitPageLinks(message: string, hrefs: Partial<Record<PageKey, string>> = {}): MessagePart[] {
  const parts: MessagePart[] = [];
  let at = 0;
  for (;;) {
    // The earliest page name from here; the longer one when two start at the same place.
    let found: { key: PageKey; index: number } | undefined;
    for (const key of KEYS) {
      const index = message.indexOf(PAGE_LINKS[key].pattern, at);
      if (index === -1) continue;
      if (!found || index < found.index || (index === found.index && PAGE_LINKS[key].pattern.length > PAGE_LINKS[found.key].pattern.length)) found = { key, index };
    }
    if (!found) break;
    if (found.index > at) parts.push(message.slice(at, found.index));
    const text = PAGE_LINKS[found.key].pattern;
    parts.push({ text, href: hrefs[found.key] ?? PAGE_LINKS[found.key].href });
    at = found.index + text.length;
  }
  if (at < message.length) parts.push(message.slice(at));
  return parts;
}
