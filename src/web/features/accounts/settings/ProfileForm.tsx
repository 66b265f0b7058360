import { NAME_MAX_LENGTH, updateProfileSchema, type PublicUser } from '@shared/accounts';
import { toast } from 'sonner';
import { accountApi } from '@/api/account';
import { FormErrorAlert } from '@/components/form-error-alert';
import { Button } from '@/components/ui/button';
import { Card, CardContent } from '@/components/ui/card';
import { FormField } from '@/components/ui/form-field';
import { Input } from '@/components/ui/input';
import { useValidatedForm } from '@/lib/use-validated-form';
import { useAppStore } from '@/store/app-store';
import { EmailAddress } from './EmailAddress';

/** The user's name, which they can change, and the email they sign in with, which they can't here. */
export function ProfileForm({ user }: { user: PublicUser }) {
  const userUpdated = useAppStore((state) => state.userUpdated);
  const form = useValidatedForm(updateProfileSchema, async (input) => {
    const { user: updated } = await accountApi.updateProfile(input);
    userUpdated(updated);
    toast.success('Name saved');
  });

  return (
    <Card className="py-5">
      <CardContent className="px-4 sm:px-6">
        <form {...form.formProps} aria-label="Profile" className="grid max-w-md gap-5">
          {form.formError && <FormErrorAlert error={form.formError} />}
          <FormField label="Name" errors={form.fieldErrors.name} hint="How Scout greets you and labels what you do.">
            <Input name="name" autoComplete="name" defaultValue={user.name} maxLength={NAME_MAX_LENGTH} />
          </FormField>
          <dl className="grid gap-1">
            <dt className="text-sm font-medium">Email</dt>
            <dd className="text-sm break-words">
              <EmailAddress email={user.email} />
            </dd>
            <dd className="text-sm text-muted-foreground">You sign in with this address; it can't be changed here.</dd>
          </dl>
          <div>
            <Button type="submit" loading={form.submitting}>
              Save name
            </Button>
          </div>
        </form>
      </CardContent>
    </Card>
  );
}
