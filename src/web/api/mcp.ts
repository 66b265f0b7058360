import type { CreatedMcpToken, CreateMcpTokenInput, McpConsentAnswer, McpConsentInput, McpConsentRequest, McpOAuthClientSummary, McpTokenSummary } from '@shared/mcp';
import { api, type RequestOptions } from './client';

/** The signed-in user's personal access tokens for MCP clients, and the clients signed in with OAuth. */
export const mcpApi = {
  listTokens: (options?: RequestOptions) => api.get<McpTokenSummary[]>('/api/mcp/tokens', options),
  /** The answer carries the token: the only time it is ever sent. */
  createToken: (input: CreateMcpTokenInput) => api.post<CreatedMcpToken>('/api/mcp/tokens', input),
  revokeToken: (id: string) => api.delete<void>(`/api/mcp/tokens/${encodeURIComponent(id)}`),

  /** What the consent page asks about; `oauthQuery` is the page's query string as the authorization server signed it. */
  consentRequest: (oauthQuery: string, options?: RequestOptions) => api.get<McpConsentRequest>(`/api/mcp/oauth/consent?${oauthQuery}`, options),
  /** The user's answer; the browser then goes to `redirect_uri`, back to the client. */
  answerConsent: (input: McpConsentInput) => api.post<McpConsentAnswer>('/api/mcp/oauth/consent', input),
  listClients: (options?: RequestOptions) => api.get<McpOAuthClientSummary[]>('/api/mcp/clients', options),
  /** Ends the client's grant and tokens at once. */
  revokeClient: (clientId: string) => api.delete<void>(`/api/mcp/clients/${encodeURIComponent(clientId)}`),
};
