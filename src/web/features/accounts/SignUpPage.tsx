import { signUpSchema } from '@shared/accounts';
import { useNavigate, useSearchParams } from 'react-router';
import { FormErrorAlert } from '@/components/form-error-alert';
import { PageHrefsContext } from '@/components/page-links';
import { Button } from '@/components/ui/button';
import { FormField } from '@/components/ui/form-field';
import { Input } from '@/components/ui/input';
import { useValidatedForm } from '@/lib/use-validated-form';
import { useAppStore } from '@/store/app-store';
import { AccountLink } from './AccountLink';
import { AccountPage } from './AccountPage';
import { OAuthSignIn } from './OAuthSignIn';
import { accountPageHref, HOME_PATH, nextPathFrom, ONBOARDING_PATH } from './nextPath';
import { NewPasswordField } from './NewPasswordField';
import { continueOAuth, oauthAccountPageHref, oauthContinuation } from './oauth-continuation';

export function SignUpPage() {
  const signUp = useAppStore((state) => state.signUp);
  const navigate = useNavigate();
  const [searchParams] = useSearchParams();
  const next = searchParams.get('next');
  // An MCP client's authorization request that sent the user here goes on once the account exists.
  const continuation = oauthContinuation(searchParams);
  const signInHref = continuation ? oauthAccountPageHref('/sign-in', searchParams) : accountPageHref('/sign-in', next);

  const form = useValidatedForm(signUpSchema, async (account) => {
    await signUp(account);
    if (continuation) {
      continueOAuth(continuation);
      return;
    }
    // A new account has no domains yet, so connecting one comes first; a deep link to another page is still honoured.
    const destination = nextPathFrom(next);
    void navigate(destination === HOME_PATH ? ONBOARDING_PATH : destination, { replace: true });
  });

  return (
    <AccountPage
      title="Create your account"
      description={
        continuation
          ? 'An MCP client asks to use Scout for you. Create your account first, then connect a CommCare domain it may use.'
          : 'Connect your CommCare projects and ask questions of their data.'
      }
      footer={
        <>
          Already have an account? <AccountLink to={signInHref}>Sign in</AccountLink>
        </>
      }
    >
      <OAuthSignIn next={continuation ?? next} />
      {/* "Sign in instead?" under the email keeps where the person was headed. */}
      <PageHrefsContext value={{ 'sign-in': signInHref }}>
        <form {...form.formProps} className="grid gap-5">
          {form.formError && <FormErrorAlert error={form.formError} />}
          <FormField label="Name" errors={form.fieldErrors.name}>
            <Input name="name" autoComplete="name" autoFocus />
          </FormField>
          <FormField label="Email" errors={form.fieldErrors.email}>
            <Input name="email" type="email" autoComplete="email" autoCapitalize="none" spellCheck={false} />
          </FormField>
          <NewPasswordField name="password" label="Password" errors={form.fieldErrors.password} />
          <Button type="submit" className="w-full" loading={form.submitting}>
            Create account
          </Button>
        </form>
      </PageHrefsContext>
    </AccountPage>
  );
}
