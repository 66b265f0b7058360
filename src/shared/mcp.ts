import { z } from 'zod';

/** Personal access tokens start with this, so a leaked one is easy to recognise (and to scan for). */
export const MCP_TOKEN_PREFIX = 'scout_pat_';

export const TOKEN_LIFETIMES = ['30', '90', '365', 'never'] as const;
export type TokenLifetime = (typeof TOKEN_LIFETIMES)[number];

/** `POST /api/mcp/tokens`: creates a personal access token for an MCP client. */
export const createMcpTokenSchema = z.strictObject({
  /** What the token is for, so the user knows which one to revoke later (e.g. "Claude Desktop on my laptop"). */
  name: z.string().trim().min(1, 'Name the token, e.g. "Claude Desktop"').max(100, 'Keep the name under 100 characters'),
  /** Days until the token stops working, or never; 90 unless chosen. */
  expires_in_days: z.enum(TOKEN_LIFETIMES, { error: 'Choose 30, 90 or 365 days, or never' }).default('90'),
});
export type CreateMcpTokenInput = z.input<typeof createMcpTokenSchema>;

/** A token as listed: never the token itself, only the start of it. */
export interface McpTokenSummary {
  id: string;
  name: string;
  /** The token's first characters, e.g. `scout_pat_Ab3dE6gH`, for telling tokens apart. */
  prefix: string;
  created_at: string;
  last_used_at: string | null;
  expires_at: string | null;
}

/** The answer to creating a token: the only time the token is ever sent. */
export interface CreatedMcpToken extends McpTokenSummary {
  token: string;
}

/** What an MCP client signed in with OAuth may ask for; `sync` is a separate grant on top of `tools`. */
export const MCP_OAUTH_SCOPES = { tools: 'mcp:tools', sync: 'mcp:sync' } as const;

/** `GET /api/mcp/oauth/consent?<the query the authorization server sent>`: what the consent page shows. */
export interface McpConsentRequest {
  client: {
    id: string;
    name: string;
    /** The client's home page, if it gave one (self-asserted: shown as the address, never as a trusted name). */
    uri: string | null;
    /** Where Scout sends the user back: the host is what tells the user who really asks. */
    redirect_host: string;
  };
  /** Whether the client asked to start syncs too (`mcp:sync`). */
  asks_sync: boolean;
  /** The user's domains to choose from; `granted` marks those an earlier consent to this client allowed. */
  domains: Array<{ membership_id: string; domain: string; name: string; role: string; granted: boolean }>;
}

/** `POST /api/mcp/oauth/consent`: the user's answer. */
export const mcpConsentSchema = z.strictObject({
  /** The query string of the consent page as the authorization server signed it. */
  oauth_query: z.string().min(1, 'The sign-in request is missing: start again from your MCP client').max(8_000, 'The sign-in request is too long'),
  accept: z.boolean({ error: 'Say whether you allow it' }),
  /** Domains the client may use, in the order picked (the first is what /mcp uses). */
  membership_ids: z.array(z.uuid({ error: 'Choose domains from the list' })).max(200, 'Choose at most 200 domains').default([]),
  allow_sync: z.boolean().default(false),
});
export type McpConsentInput = z.input<typeof mcpConsentSchema>;

/** Where the browser goes next: back to the client, with a code or with access_denied. */
export interface McpConsentAnswer {
  redirect_uri: string;
}

/** An MCP client the user signed in with OAuth, as Settings → MCP access lists it. */
export interface McpOAuthClientSummary {
  client_id: string;
  name: string;
  redirect_host: string | null;
  domains: Array<{ membership_id: string; domain: string }>;
  may_sync: boolean;
  created_at: string;
  last_used_at: string | null;
}
