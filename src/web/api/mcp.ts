import type { CreatedMcpToken, CreateMcpTokenInput, McpTokenSummary } from '@shared/mcp';
import { api, type RequestOptions } from './client';

/** The signed-in user's personal access tokens for MCP clients. */
export const mcpApi = {
  listTokens: (options?: RequestOptions) => api.get<McpTokenSummary[]>('/api/mcp/tokens', options),
  /** The answer carries the token: the only time it is ever sent. */
  createToken: (input: CreateMcpTokenInput) => api.post<CreatedMcpToken>('/api/mcp/tokens', input),
  revokeToken: (id: string) => api.delete<void>(`/api/mcp/tokens/${encodeURIComponent(id)}`),
};
