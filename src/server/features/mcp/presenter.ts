import { MCP_TOKEN_PREFIX, type CreatedMcpToken, type McpTokenSummary } from '../../../shared/mcp';
import type { McpTokenRow } from './service';

/** The only place a token row becomes JSON: the hash is never selected, let alone sent. */
export function presentToken(row: McpTokenRow): McpTokenSummary {
  return {
    id: row.id,
    name: row.name,
    prefix: `${MCP_TOKEN_PREFIX}${row.token_prefix}`,
    created_at: row.created_at.toISOString(),
    last_used_at: row.last_used_at?.toISOString() ?? null,
    expires_at: row.expires_at?.toISOString() ?? null,
  };
}

/** Creating a token is the one answer that carries it. */
export function presentCreatedToken(row: McpTokenRow, token: string): CreatedMcpToken {
  return { ...presentToken(row), token };
}
