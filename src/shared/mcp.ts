import { z } from 'zod';

/** Personal access tokens start with this, so a leaked one is easy to recognise (and to scan for). */
export const MCP_TOKEN_PREFIX = 'scout_pat_';

/** `POST /api/mcp/tokens`: creates a personal access token for an MCP client. */
export const createMcpTokenSchema = z.strictObject({
  /** What the token is for, so the user knows which one to revoke later (e.g. "Claude Desktop on my laptop"). */
  name: z.string().trim().min(1, 'Name the token, e.g. "Claude Desktop"').max(100, 'Keep the name under 100 characters'),
});
export type CreateMcpTokenInput = z.infer<typeof createMcpTokenSchema>;

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
