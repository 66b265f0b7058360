import { describe, expect, it } from 'vitest';
import { claudeCodeCommand, claudeCodeOAuthCommand, claudeDesktopConfig, mcpEndpointUrl, mcpServerUrl } from './client-config';

describe('MCP client configuration', () => {
  const url = mcpEndpointUrl('https://scout.example.org', 'abc');

  it('gives OAuth clients the one address, without a domain or a token', () => {
    expect(mcpServerUrl('https://scout.example.org')).toBe('https://scout.example.org/mcp');
    expect(claudeCodeOAuthCommand('https://scout.example.org/mcp')).toBe('claude mcp add --transport http scout https://scout.example.org/mcp');
  });

  it('points at the domain’s endpoint', () => {
    expect(url).toBe('https://scout.example.org/mcp/abc');
  });

  it('gives Claude Desktop an mcp-remote bridge with the bearer header', () => {
    expect(JSON.parse(claudeDesktopConfig(url, 'scout_pat_x'))).toEqual({
      mcpServers: { scout: { command: 'npx', args: ['-y', 'mcp-remote', url, '--header', 'Authorization: Bearer scout_pat_x'] } },
    });
  });

  it('gives Claude Code one command', () => {
    expect(claudeCodeCommand(url, 'scout_pat_x')).toBe(`claude mcp add --transport http scout ${url} --header "Authorization: Bearer scout_pat_x"`);
  });
});
