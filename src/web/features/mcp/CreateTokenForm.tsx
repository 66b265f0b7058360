import { useRef, type ComponentProps } from 'react';
import { createMcpTokenSchema, type CreatedMcpToken, type TokenLifetime } from '@shared/mcp';
import { mcpApi } from '@/api/mcp';
import { FormErrorAlert } from '@/components/form-error-alert';
import { Button } from '@/components/ui/button';
import { FormField } from '@/components/ui/form-field';
import { Input } from '@/components/ui/input';
import { Select, SelectContent, SelectItem, SelectTrigger, SelectValue } from '@/components/ui/select';
import { useValidatedForm } from '@/lib/use-validated-form';

const LIFETIMES: Array<{ value: TokenLifetime; label: string }> = [
  { value: '30', label: '30 days' },
  { value: '90', label: '90 days' },
  { value: '365', label: '1 year' },
  { value: 'never', label: 'Never' },
];

/** Names and creates a personal access token, with how long it lasts. */
export function CreateTokenForm({ onCreated }: { onCreated: (token: CreatedMcpToken) => Promise<void> | void }) {
  const element = useRef<HTMLFormElement>(null);
  const form = useValidatedForm(createMcpTokenSchema, async (input) => {
    const created = await mcpApi.createToken(input);
    element.current?.reset();
    await onCreated(created);
  });

  return (
    <form ref={element} {...form.formProps} aria-label="Create a token" className="grid gap-4">
      {form.formError && <FormErrorAlert error={form.formError} />}
      <div className="flex flex-wrap items-start gap-3">
        <FormField label="Token name" errors={form.fieldErrors.name} hint='What it is for, e.g. "Claude Desktop on my laptop".' className="min-w-64 flex-1">
          <Input name="name" autoComplete="off" maxLength={100} />
        </FormField>
        <FormField label="Expires" errors={form.fieldErrors.expires_in_days} hint="It stops working then." className="w-36">
          <ExpirySelect />
        </FormField>
        <Button type="submit" loading={form.submitting} className="sm:mt-[1.375rem]">
          Create token
        </Button>
      </div>
    </form>
  );
}

/** The FormField's id and ARIA attributes land on the trigger; the value reaches the form through Radix's hidden native select. */
function ExpirySelect(triggerProps: Omit<ComponentProps<typeof SelectTrigger>, 'children'>) {
  return (
    <Select name="expires_in_days" defaultValue="90">
      <SelectTrigger {...triggerProps}>
        <SelectValue />
      </SelectTrigger>
      <SelectContent>
        {LIFETIMES.map((lifetime) => (
          <SelectItem key={lifetime.value} value={lifetime.value}>
            {lifetime.label}
          </SelectItem>
        ))}
      </SelectContent>
    </Select>
  );
}
