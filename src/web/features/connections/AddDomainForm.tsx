import type { CreateTenantCredentialInput, TenantCredentialSummary } from '@shared/tenants';
import { CloudOff, FlaskConical } from 'lucide-react';
import { useState } from 'react';
import { asApiError, isApiError, type ApiError } from '@/api/client';
import { FormErrorAlert } from '@/components/form-error-alert';
import { Alert, AlertDescription } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { FormField } from '@/components/ui/form-field';
import { Input } from '@/components/ui/input';
import { Skeleton } from '@/components/ui/skeleton';
import { tenantsApi } from '@/api/tenants';
import { useValidatedForm } from '@/lib/use-validated-form';
import { ApiKeyHelp } from './ApiKeyHelp';
import { addDomainFormSchema, withFormFieldNames } from './domain-form-schemas';
import { ServerSelect } from './ServerSelect';
import { useHqServers } from './use-hq-servers';

interface AddDomainFormProps {
  /** Called with the new connection once CommCare has accepted the key and Scout has stored it. */
  onConnected: (connection: TenantCredentialSummary) => Promise<void> | void;
  onCancel?: () => void;
  autoFocus?: boolean;
}

/** Connects a CommCare domain with an API key: the same form in onboarding and on Connections. */
export function AddDomainForm({ onConnected, onCancel, autoFocus = false }: AddDomainFormProps) {
  const servers = useHqServers();
  // The domain was connected with "Try with demo data": the key entered can take its place.
  const [demoConflict, setDemoConflict] = useState<CreateTenantCredentialInput | null>(null);
  const form = useValidatedForm(addDomainFormSchema, async (input) => {
    setDemoConflict(null);
    let connection: TenantCredentialSummary;
    try {
      connection = await tenantsApi.connectWithApiKey(input);
    } catch (error) {
      if (isApiError(error) && error.code === CONNECTED_AS_DEMO) {
        setDemoConflict(input);
        return;
      }
      throw withFormFieldNames(error);
    }
    await onConnected(connection);
  });

  if (servers.status === 'loading') return <AddDomainFormSkeleton />;
  if (servers.status === 'error') {
    return (
      <Alert variant="destructive">
        <CloudOff aria-hidden />
        <AlertDescription>
          <p>Couldn't load the list of CommCare servers. {servers.error.message}</p>
          <Button variant="outline" size="sm" className="mt-2" onClick={() => void servers.reload()}>
            Try again
          </Button>
        </AlertDescription>
      </Alert>
    );
  }

  const { fieldErrors } = form;
  return (
    <form {...form.formProps} className="grid gap-5" aria-label="Add a CommCare domain">
      {form.formError && <FormErrorAlert error={form.formError} />}
      {demoConflict && <SwitchFromDemo input={demoConflict} onSwitched={onConnected} onKeep={() => setDemoConflict(null)} />}
      <div className="grid gap-5 sm:grid-cols-2">
        <FormField
          label="Domain"
          errors={fieldErrors.tenant_id}
          hint={
            <>
              The project space name in your CommCare address: …/a/<strong className="font-medium">my-project</strong>/
            </>
          }
        >
          <Input name="tenant_id" autoCapitalize="none" autoComplete="off" spellCheck={false} placeholder="my-project" autoFocus={autoFocus} />
        </FormField>
        <FormField label="CommCare server" errors={fieldErrors.hq_base_url}>
          <ServerSelect name="hq_base_url" servers={servers.data.servers} defaultValue={servers.data.default} disabled={form.submitting} />
        </FormField>
        <FormField label="Username" errors={fieldErrors.username} hint="The email address you sign in to CommCare HQ with.">
          <Input name="username" autoComplete="username" inputMode="email" autoCapitalize="none" spellCheck={false} />
        </FormField>
        <FormField label="API key" errors={fieldErrors.api_key} hint={<ApiKeyHelp />}>
          <Input name="api_key" type="password" autoComplete="off" spellCheck={false} />
        </FormField>
        <FormField
          label="Label"
          errors={fieldErrors.tenant_name}
          hint="Optional. How the domain is named in Scout; the domain name when left blank."
        >
          <Input name="tenant_name" autoComplete="off" />
        </FormField>
      </div>
      <div className="flex flex-wrap items-center gap-2">
        <Button type="submit" loading={form.submitting}>
          {form.submitting ? 'Checking with CommCare…' : 'Connect domain'}
        </Button>
        {onCancel && (
          <Button variant="ghost" onClick={onCancel} disabled={form.submitting}>
            Cancel
          </Button>
        )}
      </div>
    </form>
  );
}

/** The API's code for "this domain is connected with the demo key". */
const CONNECTED_AS_DEMO = 'CONNECTED_AS_DEMO';

interface SwitchFromDemoProps {
  input: CreateTenantCredentialInput;
  onSwitched: (connection: TenantCredentialSummary) => Promise<void> | void;
  onKeep: () => void;
}

/**
 * "demo-clinic is connected as demo data": switching gives the existing
 * connection the key entered (checked with CommCare first), so its synced
 * data, conversations and MCP address stay.
 */
function SwitchFromDemo({ input, onSwitched, onKeep }: SwitchFromDemoProps) {
  const [switching, setSwitching] = useState(false);
  const [failure, setFailure] = useState<ApiError | null>(null);

  async function switchToKey() {
    setSwitching(true);
    setFailure(null);
    try {
      const connections = await tenantsApi.listCredentials();
      const demo = connections.find((c) => c.demo && c.tenant_id === input.tenant_id && c.hq_base_url === input.hq_base_url);
      if (!demo) throw new Error(`No demo connection of ${input.tenant_id}`);
      const updated = await tenantsApi.updateCredential(demo.membership_id, {
        credential: input.credential,
        ...(input.tenant_name ? { tenant_name: input.tenant_name } : {}),
      });
      await onSwitched(updated);
    } catch (error) {
      const apiError = asApiError(withFormFieldNames(error), `Couldn't switch ${input.tenant_id} to this key. Try again.`);
      setFailure(apiError);
    } finally {
      setSwitching(false);
    }
  }

  const problem = failure && (Object.values(failure.fields).flat()[0] ?? failure.message);
  return (
    <Alert role="alert" aria-label={`${input.tenant_id} is connected as demo data`}>
      <FlaskConical aria-hidden />
      <AlertDescription className="grid gap-2">
        <p className="font-medium text-foreground">{input.tenant_id} is connected as demo data</p>
        <p>
          You connected it with “Try with demo data”. Switch it to this key to read it as your CommCare user; its synced
          data, your conversations and its MCP address stay.
        </p>
        {problem && <p className="text-destructive">{problem}</p>}
        <div className="flex flex-wrap gap-2">
          <Button type="button" size="sm" loading={switching} onClick={() => void switchToKey()}>
            {switching ? 'Checking with CommCare…' : 'Switch to this key'}
          </Button>
          <Button type="button" size="sm" variant="ghost" disabled={switching} onClick={onKeep}>
            Keep demo data
          </Button>
        </div>
      </AlertDescription>
    </Alert>
  );
}

function AddDomainFormSkeleton() {
  return (
    <div role="status" aria-label="Loading the form" className="grid gap-5">
      <div className="grid gap-5 sm:grid-cols-2">
        {Array.from({ length: 4 }, (_, index) => (
          <div key={index} className="grid gap-2">
            <Skeleton className="h-4 w-24" />
            <Skeleton className="h-9" />
          </div>
        ))}
      </div>
      <Skeleton className="h-9 w-36" />
    </div>
  );
}
