import type { TenantCredentialSummary } from '@shared/tenants';
import { useMemo, useState } from 'react';
import { tenantsApi } from '@/api/tenants';
import { FormErrorAlert } from '@/components/form-error-alert';
import { Button } from '@/components/ui/button';
import { FormField } from '@/components/ui/form-field';
import { Input } from '@/components/ui/input';
import { useValidatedForm } from '@/lib/use-validated-form';
import { ApiKeyHelp } from './ApiKeyHelp';
import { editDomainFormSchema, withFormFieldNames } from './domain-form-schemas';

interface EditDomainFormProps {
  connection: TenantCredentialSummary;
  onSaved: (connection: TenantCredentialSummary) => Promise<void> | void;
  onCancel: () => void;
}

/** Renames a domain and, when both are filled in, replaces its username and API key. */
export function EditDomainForm({ connection, onSaved, onCancel }: EditDomainFormProps) {
  const schema = useMemo(() => editDomainFormSchema(connection.tenant_id), [connection.tenant_id]);
  // Only a new key goes to CommCare; a rename alone is quick and says so.
  const [checking, setChecking] = useState(false);
  const form = useValidatedForm(schema, async (input) => {
    setChecking(input.credential !== undefined);
    let saved: TenantCredentialSummary;
    try {
      saved = await tenantsApi.updateCredential(connection.membership_id, input);
    } catch (error) {
      throw withFormFieldNames(error);
    }
    await onSaved(saved);
  });

  const { fieldErrors } = form;
  return (
    <form {...form.formProps} className="grid gap-5" aria-label={`Edit ${connection.tenant_name}`}>
      {form.formError && <FormErrorAlert error={form.formError} />}
      <FormField label="Label" errors={fieldErrors.tenant_name} hint="Blank uses the domain name." className="sm:max-w-[calc(50%-0.625rem)]">
        <Input name="tenant_name" defaultValue={connection.tenant_name} autoComplete="off" autoFocus />
      </FormField>
      <fieldset className="grid gap-4">
        <legend className="mb-1 text-sm font-medium">Replace the API key</legend>
        <p className="text-sm text-muted-foreground">
          Leave both blank to keep the username and key Scout has. Scout never shows a saved key.
        </p>
        <div className="grid gap-5 sm:grid-cols-2">
          <FormField label="Username" errors={fieldErrors.username}>
            <Input name="username" autoComplete="off" inputMode="email" autoCapitalize="none" spellCheck={false} />
          </FormField>
          <FormField label="API key" errors={fieldErrors.api_key} hint={<ApiKeyHelp />}>
            <Input name="api_key" type="password" autoComplete="off" spellCheck={false} />
          </FormField>
        </div>
      </fieldset>
      <div className="flex flex-wrap items-center gap-2">
        <Button type="submit" loading={form.submitting}>
          {form.submitting ? (checking ? 'Checking with CommCare…' : 'Saving…') : 'Save changes'}
        </Button>
        <Button variant="ghost" onClick={onCancel} disabled={form.submitting}>
          Cancel
        </Button>
      </div>
    </form>
  );
}
