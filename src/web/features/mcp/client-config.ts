/**
 * What a client that signs in with OAuth (Claude.ai, ChatGPT, Claude Code, the
 * MCP Inspector) needs: only this address. It discovers the sign-in itself, and
 * the user picks its domains when they allow it.
 */
export function mcpServerUrl(origin: string): string {
  return `${origin}/mcp`;
}

/** Claude Code signs in with OAuth on its own (`/mcp` in Claude Code): no header needed. */
export function claudeCodeOAuthCommand(url: string): string {
  return `claude mcp add --transport http scout ${url}`;
}

/** Where a client without OAuth reaches Scout for one domain, with a personal access token. */
export function mcpEndpointUrl(origin: string, membershipId: string): string {
  return `${origin}/mcp/${membershipId}`;
}

/** Claude Desktop speaks stdio, so `mcp-remote` bridges it to Scout's HTTP endpoint. */
export function claudeDesktopConfig(url: string, token: string): string {
  const config = { mcpServers: { scout: { command: 'npx', args: ['-y', 'mcp-remote', url, '--header', `Authorization: Bearer ${token}`] } } };
  return JSON.stringify(config, null, 2);
}

export function claudeCodeCommand(url: string, token: string): string {
  return `claude mcp add --transport http scout ${url} --header "Authorization: Bearer ${token}"`;
}

/** Shown in the configuration until the user creates a token (or after it was shown once). */
export const TOKEN_PLACEHOLDER = '<your token>';
