import type { TenantCredentialSummary } from '@shared/tenants';
import { CloudOff } from 'lucide-react';
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
  const form = useValidatedForm(addDomainFormSchema, async (input) => {
    let connection: TenantCredentialSummary;
    try {
      connection = await tenantsApi.connectWithApiKey(input);
    } catch (error) {
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
