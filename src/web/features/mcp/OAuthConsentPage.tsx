import type { McpConsentRequest } from '@shared/mcp';
import { Check, CircleAlert, Link2 } from 'lucide-react';
import { useCallback, useId, useRef, useState, type ReactNode } from 'react';
import { flushSync } from 'react-dom';
import { Link, useLocation } from 'react-router';
import { ApiError, asApiError } from '@/api/client';
import type { FieldErrors } from '@/api/field-errors';
import { mcpApi } from '@/api/mcp';
import { FormErrorAlert } from '@/components/form-error-alert';
import { LoadErrorAlert } from '@/components/load-error-alert';
import { Alert, AlertDescription, AlertTitle } from '@/components/ui/alert';
import { Badge } from '@/components/ui/badge';
import { Button } from '@/components/ui/button';
import { FieldError } from '@/components/ui/field-error';
import { Skeleton } from '@/components/ui/skeleton';
import { useResource } from '@/lib/use-resource';
import { useAppStore } from '@/store/app-store';
import { AccountPage } from '../accounts/AccountPage';
import { accountPageHref } from '../accounts/nextPath';
import { useSignOut } from '../accounts/useSignOut';
import { ROLE_WORDS } from '../members/roles';
import { initialDomainChoice, isNavigableRedirect, togglePicked } from './consent-choice';

const EXPIRED = 'This sign-in request is not valid any more; start again from your MCP client.';

/**
 * Where the authorization server sends a signed-in user when an MCP client asks
 * to use Scout: who asks (and where the answer goes), which domains it may use,
 * whether it may start syncs. The query is the server's signed request, passed
 * back untouched.
 */
export function OAuthConsentPage() {
  const { pathname, search } = useLocation();
  const oauthQuery = search.replace(/^\?/, '');
  const load = useCallback(
    (signal: AbortSignal) =>
      new URLSearchParams(oauthQuery).get('client_id')
        ? mcpApi.consentRequest(oauthQuery, { signal })
        : Promise.reject(new ApiError({ status: 404, code: 'NOT_FOUND', message: EXPIRED })),
    [oauthQuery],
  );
  const request = useResource(load);
  const footer = <SignedInAs signInHref={accountPageHref('/sign-in', `${pathname}${search}`)} />;

  if (request.status === 'loading') {
    return (
      <AccountPage size="md" title="Connect an MCP client" description="Loading what it asks for…" footer={footer}>
        <div role="status" aria-label="Loading the request" className="grid gap-3">
          <Skeleton className="h-4 w-2/3" />
          <Skeleton className="h-24" />
          <Skeleton className="h-12" />
          <Skeleton className="h-9" />
        </div>
      </AccountPage>
    );
  }
  if (request.status === 'error') {
    const gone = request.error.status === 404;
    return (
      <AccountPage
        size="md"
        title={gone ? 'This request has ended' : 'Connect an MCP client'}
        description={gone ? 'Nothing was shared with the client.' : 'Scout could not load what the client asks for.'}
        footer={footer}
      >
        {gone ? (
          <Alert>
            <CircleAlert aria-hidden />
            <AlertDescription>
              <p>{EXPIRED}</p>
            </AlertDescription>
          </Alert>
        ) : (
          <LoadErrorAlert title="Couldn't load this sign-in request" error={request.error} onRetry={() => void request.reload()} />
        )}
      </AccountPage>
    );
  }
  return <ConsentForm request={request.data} oauthQuery={oauthQuery} footer={footer} />;
}

function ConsentForm({ request, oauthQuery, footer }: { request: McpConsentRequest; oauthQuery: string; footer: ReactNode }) {
  const [picked, setPicked] = useState(() => initialDomainChoice(request.domains));
  const [allowSync, setAllowSync] = useState(false);
  const [fieldErrors, setFieldErrors] = useState<FieldErrors>({});
  const [formError, setFormError] = useState<ApiError | null>(null);
  // The button pressed: until the answer fails, or for good once the browser is on its way back to the client.
  const [pressed, setPressed] = useState<'allow' | 'deny' | null>(null);
  const [leaving, setLeaving] = useState(false);
  const domainList = useRef<HTMLFieldSetElement>(null);
  const domainsHint = useId();
  const domainsError = useId();
  const { client } = request;
  const noDomains = request.domains.length === 0;
  const busy = pressed !== null;

  function showDomainError(messages: string[]) {
    // Rendered first, so the checkbox is described by the message when it receives focus.
    flushSync(() => setFieldErrors({ membership_ids: messages }));
    domainList.current?.querySelector('input')?.focus();
  }

  async function answer(accept: boolean) {
    if (busy) return;
    setFormError(null);
    if (accept && picked.length === 0) {
      showDomainError(['Choose at least one domain']);
      return;
    }
    setFieldErrors({});
    setPressed(accept ? 'allow' : 'deny');
    try {
      const { redirect_uri } = await mcpApi.answerConsent({ oauth_query: oauthQuery, accept, membership_ids: accept ? picked : [], allow_sync: accept && request.asks_sync && allowSync });
      if (!isNavigableRedirect(redirect_uri)) throw new ApiError({ status: 0, code: 'CLIENT_ERROR', message: `Scout can't send you back to ${client.name}: its return address is not a web or app address.` });
      setLeaving(true);
      // Back to the client, with a code or with access_denied: it leaves Scout.
      window.location.assign(redirect_uri);
    } catch (caught) {
      setPressed(null);
      const error = asApiError(caught);
      const { membership_ids: domainMessages, ...others } = error.fields;
      if (domainMessages?.length) showDomainError(domainMessages);
      if (error.status === 404) setFormError(new ApiError({ status: 404, code: error.code, message: EXPIRED }));
      else if (!domainMessages?.length || Object.keys(others).length > 0) setFormError(withFieldMessages(error, others));
    }
  }

  return (
    <AccountPage
      size="md"
      title={`${client.name} wants to use Scout`}
      description={
        <>
          <span className="block">
            It will send you back to <strong className="font-semibold break-all text-foreground">{client.redirect_host}</strong>.
          </span>
          {client.uri && (
            <span className="mt-1 block">
              Its home page, as it says itself (not checked by Scout): <span className="break-all">{client.uri}</span>
            </span>
          )}
        </>
      }
      footer={footer}
    >
      <div className="grid gap-6">
        {noDomains ? (
          <Alert>
            <Link2 aria-hidden />
            <AlertTitle>Connect a domain first</AlertTitle>
            <AlertDescription>
              <p>
                An MCP client works on your CommCare domains, and you have none in Scout yet.{' '}
                <Link to="/settings/connections" className="font-medium text-foreground underline underline-offset-4">
                  Connect a domain
                </Link>
                , then start again from {client.name}.
              </p>
            </AlertDescription>
          </Alert>
        ) : (
          <fieldset ref={domainList} className="grid gap-2" aria-describedby={fieldErrors.membership_ids ? `${domainsHint} ${domainsError}` : domainsHint}>
            <legend className="mb-1 text-sm font-medium">
              Domains it may use
            </legend>
            <p id={domainsHint} className="text-sm text-muted-foreground">
              {request.domains.length === 1 ? 'It works only in this domain.' : 'Pick one or more. It starts in the first you pick.'}
            </p>
            <ul className="grid divide-y rounded-lg border">
              {request.domains.map((domain) => {
                const checked = picked.includes(domain.membership_id);
                const isDefault = picked.length > 1 && picked[0] === domain.membership_id;
                return (
                  <li key={domain.membership_id}>
                    <label className="flex cursor-pointer items-start gap-3 px-3 py-2.5 has-[:focus-visible]:bg-muted/60 hover:bg-muted/40">
                      <input
                        type="checkbox"
                        name="membership_ids"
                        value={domain.membership_id}
                        checked={checked}
                        disabled={busy}
                        aria-invalid={fieldErrors.membership_ids ? true : undefined}
                        onChange={(event) => {
                          setPicked((current) => togglePicked(current, domain.membership_id, event.target.checked));
                          setFieldErrors({});
                        }}
                        className="mt-0.5 size-4 shrink-0 accent-primary"
                      />
                      {/* The badges move under the name when both don't fit on one line. */}
                      <span className="flex min-w-0 flex-1 flex-wrap items-start justify-between gap-x-3 gap-y-1">
                        <span className="grid min-w-0 gap-0.5">
                          <span className="text-sm font-medium break-words">{domain.name}</span>
                          <span className="font-mono text-xs break-all text-muted-foreground">{domain.domain}</span>
                        </span>
                        <span className="flex flex-wrap gap-1">
                          {isDefault && <Badge variant="secondary">Starts here</Badge>}
                          <Badge variant="outline">{roleLabel(domain.role)}</Badge>
                        </span>
                      </span>
                    </label>
                  </li>
                );
              })}
            </ul>
            <FieldError id={domainsError} messages={fieldErrors.membership_ids} />
          </fieldset>
        )}

        {!noDomains && <Permissions asksSync={request.asks_sync} allowSync={allowSync} onAllowSyncChange={setAllowSync} disabled={busy} />}

        {formError && <FormErrorAlert error={formError} />}

        <div className={noDomains ? 'grid' : 'grid grid-cols-2 gap-3'}>
          <Button variant="outline" loading={pressed === 'deny'} disabled={busy} onClick={() => void answer(false)}>
            Deny
          </Button>
          {!noDomains && (
            <Button loading={pressed === 'allow'} disabled={busy} onClick={() => void answer(true)}>
              Allow
            </Button>
          )}
        </div>
        <p className="text-xs text-muted-foreground" aria-live="polite">
          {leaving ? `Sending you back to ${client.redirect_host}…` : noDomains ? 'Denying sends you back to it; nothing is shared.' : 'You can revoke its access at any time in Settings → MCP access.'}
        </p>
      </div>
    </AccountPage>
  );
}

/** What the client may do once allowed: always the tools; syncs only when it asked and the user ticks them. */
function Permissions({ asksSync, allowSync, onAllowSyncChange, disabled }: { asksSync: boolean; allowSync: boolean; onAllowSyncChange: (allow: boolean) => void; disabled: boolean }) {
  const headingId = useId();
  const syncId = useId();
  const syncHint = useId();
  return (
    <section aria-labelledby={headingId} className="grid gap-2">
      <h2 id={headingId} className="text-sm font-medium">
        What it may do
      </h2>
      <ul className="grid gap-2 text-sm">
        <li className="flex items-start gap-3">
          <Check aria-hidden className="mt-0.5 size-4 shrink-0 text-emerald-600 dark:text-emerald-400" />
          <span>Read your data and run Scout's tools (queries, charts, saved questions)</span>
        </li>
        {asksSync && (
          <li>
            <label htmlFor={syncId} className="flex cursor-pointer items-start gap-3">
              <input
                id={syncId}
                type="checkbox"
                checked={allowSync}
                disabled={disabled}
                onChange={(event) => onAllowSyncChange(event.target.checked)}
                aria-describedby={syncHint}
                className="mt-0.5 size-4 shrink-0 accent-primary"
              />
              <span className="grid gap-0.5">
                <span>Start syncs from CommCare HQ</span>
                <span id={syncHint} className="text-xs text-muted-foreground">
                  Copies the latest cases and forms into Scout when it asks. It can read without this.
                </span>
              </span>
            </label>
          </li>
        )}
      </ul>
    </section>
  );
}

/** The error, with any messages the server filed under fields this page has no control for (the signed request). */
function withFieldMessages(error: ApiError, fields: FieldErrors): ApiError {
  const messages = Object.values(fields).flat();
  if (messages.length === 0) return error;
  return new ApiError({ status: error.status, code: error.code, message: [error.message, ...messages].join(' — '), ...(error.requestId ? { requestId: error.requestId } : {}) });
}

function roleLabel(role: string): string {
  return role in ROLE_WORDS ? ROLE_WORDS[role as keyof typeof ROLE_WORDS].label : role;
}

/** Who is about to answer, and a way to answer as someone else. */
function SignedInAs({ signInHref }: { signInHref: string }) {
  const email = useAppStore((state) => state.user?.email);
  const signOut = useSignOut(signInHref);
  return (
    <>
      Signed in as <span className="font-medium break-all text-foreground">{email}</span>.{' '}
      <span className="whitespace-nowrap">
        Not you?{' '}
        <button
        type="button"
        onClick={() => void signOut()}
        className="rounded-sm font-medium text-foreground underline underline-offset-4 outline-none hover:decoration-2 focus-visible:ring-[3px] focus-visible:ring-ring/50"
      >
          Sign out
        </button>
      </span>
    </>
  );
}
