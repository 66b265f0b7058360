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
