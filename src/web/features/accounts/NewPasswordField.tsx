import { PASSWORD_MIN_LENGTH } from '@shared/accounts';
import { FormField } from '@/components/ui/form-field';
import { Input } from '@/components/ui/input';

/** A field for choosing a password, with the rule it must meet (the server's, from the shared schema). */
export function NewPasswordField({ name, label, errors }: { name: string; label: string; errors: string[] | undefined }) {
  return (
    <FormField label={label} errors={errors} hint={`At least ${PASSWORD_MIN_LENGTH} characters, with a letter and a number or symbol.`}>
      <Input name={name} type="password" autoComplete="new-password" />
    </FormField>
  );
}
