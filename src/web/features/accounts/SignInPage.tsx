import { signInSchema } from '@shared/accounts';
import { useNavigate, useSearchParams } from 'react-router';
import { FormErrorAlert } from '@/components/form-error-alert';
import { Button } from '@/components/ui/button';
import { FormField } from '@/components/ui/form-field';
import { Input } from '@/components/ui/input';
import { useValidatedForm } from '@/lib/use-validated-form';
import { useAppStore } from '@/store/app-store';
import { AccountLink } from './AccountLink';
import { AccountPage } from './AccountPage';
import { accountPageHref, nextPathFrom } from './nextPath';

export function SignInPage() {
  const signIn = useAppStore((state) => state.signIn);
  const navigate = useNavigate();
  const [searchParams] = useSearchParams();
  const next = searchParams.get('next');

  const form = useValidatedForm(signInSchema, async (credentials) => {
    await signIn(credentials);
    void navigate(nextPathFrom(next), { replace: true });
  });

  return (
    <AccountPage
      title="Sign in to Scout"
      description="Ask questions of your CommCare data."
      footer={
        <>
          Don't have an account? <AccountLink to={accountPageHref('/sign-up', next)}>Create one</AccountLink>
        </>
      }
    >
      <form {...form.formProps} className="grid gap-5">
        {form.formError && <FormErrorAlert error={form.formError} />}
        <FormField label="Email" errors={form.fieldErrors.email}>
          <Input
            name="email"
            type="email"
            autoComplete="email"
            autoCapitalize="none"
            spellCheck={false}
            autoFocus
          />
        </FormField>
        <FormField label="Password" errors={form.fieldErrors.password}>
          <Input name="password" type="password" autoComplete="current-password" />
        </FormField>
        <Button type="submit" className="w-full" loading={form.submitting}>
          Sign in
        </Button>
      </form>
    </AccountPage>
  );
}
