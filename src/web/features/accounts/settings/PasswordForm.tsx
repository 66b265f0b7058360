import { changePasswordSchema } from '@shared/accounts';
import { useRef } from 'react';
import { toast } from 'sonner';
import { z } from 'zod';
import { accountApi } from '@/api/account';
import { FormErrorAlert } from '@/components/form-error-alert';
import { Button } from '@/components/ui/button';
import { Card, CardContent } from '@/components/ui/card';
import { FormField } from '@/components/ui/form-field';
import { Input } from '@/components/ui/input';
import { useValidatedForm } from '@/lib/use-validated-form';
import { NewPasswordField } from '../NewPasswordField';

/** The API's rules, plus typing the new password twice: a typo here would lock the user out. */
const passwordFormSchema = z
  .object({ ...changePasswordSchema.shape, confirm_password: z.string() })
  .refine((values) => values.confirm_password === values.new_password, {
    path: ['confirm_password'],
    error: 'This does not match the new password',
  });

/** Changes the password; every other session is signed out, this one stays. */
export function PasswordForm({ onChanged }: { onChanged: () => Promise<void> | void }) {
  const element = useRef<HTMLFormElement>(null);
  const form = useValidatedForm(passwordFormSchema, async ({ current_password, new_password }) => {
    const { signed_out_sessions: signedOut } = await accountApi.changePassword({ current_password, new_password });
    element.current?.reset();
    toast.success('Password changed', {
      description: signedOut === 0 ? 'You were not signed in anywhere else.' : `Signed out of ${signedOut} other ${signedOut === 1 ? 'session' : 'sessions'}.`,
    });
    await onChanged();
  });

  return (
    <Card className="py-5">
      <CardContent className="px-4 sm:px-6">
        <form ref={element} {...form.formProps} aria-label="Change password" className="grid max-w-md gap-5">
          {form.formError && <FormErrorAlert error={form.formError} />}
          <FormField label="Current password" errors={form.fieldErrors.current_password}>
            <Input name="current_password" type="password" autoComplete="current-password" />
          </FormField>
          <NewPasswordField name="new_password" label="New password" errors={form.fieldErrors.new_password} />
          <FormField label="Confirm new password" errors={form.fieldErrors.confirm_password}>
            <Input name="confirm_password" type="password" autoComplete="new-password" />
          </FormField>
          <div>
            <Button type="submit" loading={form.submitting}>
              Change password
            </Button>
          </div>
        </form>
      </CardContent>
    </Card>
  );
}
