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
const PATTERN = new RegExp(`(${KEYS.map((key) => escape(PAGE_LINKS[key].pattern)).join('|')})`, 'g');

/** A message split into its plain text and the page names in it, each with where it links. */
export function splitPageLinks(message: string, hrefs: Partial<Record<PageKey, string>> = {}): MessagePart[] {
  const parts: MessagePart[] = [];
  for (const piece of message.split(PATTERN)) {
    if (piece === '') continue;
    const key = KEYS.find((k) => PAGE_LINKS[k].pattern === piece);
    parts.push(key ? { text: piece, href: hrefs[key] ?? PAGE_LINKS[key].href } : piece);
  }
  return parts;
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
