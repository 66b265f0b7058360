import type { CreatedMcpToken, McpTokenSummary } from '@shared/mcp';
import { Link2 } from 'lucide-react';
import { useCallback, useId, useState } from 'react';
import { Link } from 'react-router';
import { mcpApi } from '@/api/mcp';
import { PageHeader } from '@/components/page-header';
import { Alert, AlertDescription, AlertTitle } from '@/components/ui/alert';
import { Card, CardContent, CardDescription, CardHeader } from '@/components/ui/card';
import { useResource } from '@/lib/use-resource';
import { useActiveDomain } from '@/store/active-domain';
import { claudeCodeCommand, claudeCodeOAuthCommand, claudeDesktopConfig, mcpEndpointUrl, mcpServerUrl, TOKEN_PLACEHOLDER } from './client-config';
import { CopyableBlock } from '@/components/copy-button';
import { ConnectedAppList } from './ConnectedAppList';
import { CreateTokenForm } from './CreateTokenForm';
import { NewTokenNotice } from './NewTokenNotice';
import { TokenList } from './TokenList';

const loadTokens = (signal: AbortSignal) => mcpApi.listTokens({ signal });
const loadClients = (signal: AbortSignal) => mcpApi.listClients({ signal });

/** Settings → MCP access: the apps signed in with OAuth, personal access tokens, and how to point an MCP client at Scout. */
export function McpAccessPage() {
  const tokens = useResource(loadTokens);
  const clients = useResource(loadClients);
  const serverUrl = mcpServerUrl(window.location.origin);
  const appsHeading = useId();
  const [created, setCreated] = useState<CreatedMcpToken | null>(null);
  const tokensHeading = useId();
  const connectHeading = useId();
  const toolsHeading = useId();

  const { reload } = tokens;
  const onCreated = useCallback(
    async (token: CreatedMcpToken) => {
      setCreated(token);
      await reload();
    },
    [reload],
  );
  const onRevoked = useCallback(
    async (token: McpTokenSummary) => {
      // A revoked token must not stay on screen (or in the configuration) as if it still worked.
      setCreated((current) => (current?.id === token.id ? null : current));
      await reload();
    },
    [reload],
  );

  return (
    <>
      <PageHeader
        title="MCP access"
        description="Let Claude.ai, ChatGPT, Claude Code or any other MCP client explore your domains' data with Scout's tools."
      />
      <div className="grid gap-12">
        <section aria-labelledby={appsHeading} className="grid gap-4">
          <div className="grid gap-1">
            <h2 id={appsHeading} className="text-lg font-semibold tracking-tight">
              Connected apps
            </h2>
            <p className="text-sm text-muted-foreground">
              A client that signs in with OAuth needs only Scout's address: add it in the client, sign in to Scout, and choose the domains it may use. Revoking an app cuts it off at once.
            </p>
          </div>
          <Card className="gap-4">
            <CardContent className="grid gap-6 px-4 sm:px-6">
              <CopyableBlock label="MCP server URL" text={serverUrl} />
              <CopyableBlock label="Claude Code (signs in with OAuth)" text={claudeCodeOAuthCommand(serverUrl)} />
            </CardContent>
          </Card>
          <ConnectedAppList clients={clients} serverUrl={serverUrl} />
        </section>

        <section aria-labelledby={tokensHeading} className="grid gap-4">
          <div className="grid gap-1">
            <h2 id={tokensHeading} className="text-lg font-semibold tracking-tight">
              Personal access tokens
            </h2>
            <p className="text-sm text-muted-foreground">
              For MCP clients without OAuth, like Claude Desktop's configuration file or your own scripts: the client sends a token with each request. Revoke a token to cut its client off.
            </p>
          </div>
          <Card className="gap-4">
            <CardContent className="grid gap-4 px-4 sm:px-6">
              <CreateTokenForm onCreated={onCreated} />
              {created && <NewTokenNotice token={created} onDismiss={() => setCreated(null)} />}
            </CardContent>
          </Card>
          <TokenList tokens={tokens} onRevoked={onRevoked} />
        </section>

        <section aria-labelledby={connectHeading} className="grid gap-4">
          <div className="grid gap-1">
            <h2 id={connectHeading} className="text-lg font-semibold tracking-tight">
              Connect a client with a token
            </h2>
            <p className="text-sm text-muted-foreground">
              {created ? 'Your new token is filled in below.' : `Replace ${TOKEN_PLACEHOLDER} with a token; a token you create now is filled in for you.`}
            </p>
          </div>
          <ClientSetup token={created?.token ?? TOKEN_PLACEHOLDER} />
        </section>

        <section aria-labelledby={toolsHeading} className="grid gap-4">
          <div className="grid gap-1">
            <h2 id={toolsHeading} className="text-lg font-semibold tracking-tight">
              What a client can do
            </h2>
            <p className="text-sm text-muted-foreground">The same tools the chat uses, with the same checks, limits and audit log.</p>
          </div>
          <ToolList />
        </section>
      </div>
    </>
  );
}

const TOOLS: Array<{ name: string; does: string }> = [
  { name: 'list_tables', does: 'The tables and views of the domain, with row counts.' },
  { name: 'describe_table', does: 'One table’s columns, their types and example values.' },
  { name: 'get_metadata', does: 'The whole data dictionary and when the data was last synced.' },
  { name: 'query', does: 'Runs one read-only SQL SELECT and returns the columns and rows (at most the row cap).' },
  {
    name: 'visualize',
    does: 'Runs a query and draws its chart. The chart comes back as a PNG image drawn by Scout, which Claude Desktop and other clients show in the conversation, with its Vega-Lite spec and the rows as structured content.',
  },
  { name: 'run_materialization', does: 'Starts a sync of the domain’s data from CommCare HQ.' },
  { name: 'get_materialization_status', does: 'How the latest sync is going.' },
  { name: 'list_questions', does: 'The domain’s saved questions, with their parameters.' },
  { name: 'run_question', does: 'Runs a saved question with values for its parameters, and draws its chart.' },
  { name: 'save_question', does: 'Saves a query as a question the domain can run again, put on dashboards and schedule.' },
  { name: 'draft_publication', does: 'Drafts a post for a connector (WordPress, X, LinkedIn); it waits for an owner or admin to approve it.' },
];

/** The tools an MCP client gets, one line each. */
function ToolList() {
  return (
    <Card className="py-2">
      <dl className="divide-y px-4 sm:px-6">
        {TOOLS.map((tool) => (
          <div key={tool.name} className="grid gap-1 py-3 sm:grid-cols-[14rem_1fr] sm:items-baseline sm:gap-4">
            <dt>
              <code className="font-mono text-sm font-medium">{tool.name}</code>
            </dt>
            <dd className="text-sm text-muted-foreground">{tool.does}</dd>
          </div>
        ))}
      </dl>
    </Card>
  );
}

/** The endpoint for the active domain, and the configuration to paste into each client. */
function ClientSetup({ token }: { token: string }) {
  const domain = useActiveDomain();
  if (!domain) {
    return (
      <Alert>
        <Link2 aria-hidden />
        <AlertTitle>No domain selected</AlertTitle>
        <AlertDescription>
          <p>
            MCP clients work on one domain. <Link to="/settings/connections" className="underline underline-offset-4">Connect a domain</Link> or choose one in the sidebar to see its address.
          </p>
        </AlertDescription>
      </Alert>
    );
  }
  const url = mcpEndpointUrl(window.location.origin, domain.id);
  return (
    <Card className="gap-5">
      <CardHeader className="px-4 sm:px-6">
        <h3 className="font-semibold">{domain.tenant_name}</h3>
        <CardDescription>
          This address serves the domain selected in the sidebar. <code className="font-mono">{window.location.origin}/mcp</code> (without an id) serves whichever domain you selected last.
        </CardDescription>
      </CardHeader>
      <CardContent className="grid gap-6 px-4 sm:px-6">
        <CopyableBlock label="Endpoint URL" text={url} />
        <CopyableBlock label="Claude Desktop (claude_desktop_config.json)" text={claudeDesktopConfig(url, token)} />
        <CopyableBlock label="Claude Code" text={claudeCodeCommand(url, token)} />
      </CardContent>
    </Card>
  );
}
