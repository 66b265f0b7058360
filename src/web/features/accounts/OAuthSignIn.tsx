import { LogIn } from 'lucide-react';
import { tenantsApi } from '@/api/tenants';
import { Button } from '@/components/ui/button';
import { useResource } from '@/lib/use-resource';

const loadProviders = (signal: AbortSignal) => tenantsApi.listProviders({ signal });

/**
 * "Continue with CommCare HQ" (and Connect) above the password form, when
 * this Scout has OAuth configured. A plain link: the server starts the flow
 * and CommCare sends the browser back signed in, with its domains connected,
 * to `next` (a page of this app, or an MCP client's authorization request).
 */
export function OAuthSignIn({ next }: { next: string | null }) {
  const providers = useResource(loadProviders);
  if (providers.status !== 'ready' || providers.data.length === 0) return null;
  const query = next ? `?next=${encodeURIComponent(next)}` : '';
  return (
    // Spaced from the form below it as the form spaces its own fields.
    <div className="mb-5 grid gap-3">
      {providers.data.map((provider) => (
        <Button key={provider.id} variant="outline" className="w-full" asChild>
          <a href={`${provider.login_url}${query}`}>
            <LogIn aria-hidden />
            Continue with {provider.name}
          </a>
        </Button>
      ))}
      <div className="flex items-center gap-3 text-xs text-muted-foreground" role="separator">
        <span className="h-px flex-1 bg-border" />
        or with your email
        <span className="h-px flex-1 bg-border" />
      </div>
    </div>
  );
}
