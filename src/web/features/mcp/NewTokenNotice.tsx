import type { CreatedMcpToken } from '@shared/mcp';
import { TriangleAlert } from 'lucide-react';
import { Alert, AlertDescription, AlertTitle } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { CopyButton } from '@/components/copy-button';

/** The new token, shown this once: Scout keeps only a hash of it. */
export function NewTokenNotice({ token, onDismiss }: { token: CreatedMcpToken; onDismiss: () => void }) {
  return (
    <Alert>
      <TriangleAlert aria-hidden />
      <AlertTitle>Copy your new token “{token.name}” now</AlertTitle>
      <AlertDescription>
        <p>You won't be able to see it again. Anyone with it can read this account's domains through MCP, so keep it like a password.</p>
        <div className="mt-2 flex w-full flex-wrap items-center gap-2">
          <code aria-label="New token" className="min-w-0 flex-1 break-all rounded-md border bg-muted/50 px-3 py-2 font-mono text-xs text-foreground">
            {token.token}
          </code>
          <CopyButton text={token.token} label="Copy token" />
        </div>
        <Button variant="ghost" size="sm" className="mt-1" onClick={onDismiss}>
          I've saved it
        </Button>
      </AlertDescription>
    </Alert>
  );
}
