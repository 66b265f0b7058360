import { useRef } from 'react';
import { createMcpTokenSchema, type CreatedMcpToken } from '@shared/mcp';
import { mcpApi } from '@/api/mcp';
import { FormErrorAlert } from '@/components/form-error-alert';
import { Button } from '@/components/ui/button';
import { FormField } from '@/components/ui/form-field';
import { Input } from '@/components/ui/input';
import { useValidatedForm } from '@/lib/use-validated-form';

/** Names and creates a personal access token. */
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
        <Button type="submit" loading={form.submitting} className="sm:mt-[1.375rem]">
          Create token
        </Button>
      </div>
    </form>
  );
}
