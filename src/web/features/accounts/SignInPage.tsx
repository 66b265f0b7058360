import { signInSchema } from '@shared/accounts';
import { useNavigate, useSearchParams } from 'react-router';
import { CircleAlert } from 'lucide-react';
import { FormErrorAlert } from '@/components/form-error-alert';
import { Alert, AlertDescription } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { FormField } from '@/components/ui/form-field';
import { Input } from '@/components/ui/input';
import { useValidatedForm } from '@/lib/use-validated-form';
import { useAppStore } from '@/store/app-store';
import { AccountLink } from './AccountLink';
import { AccountPage } from './AccountPage';
import { OAuthSignIn } from './OAuthSignIn';
import { accountPageHref, nextPathFrom } from './nextPath';
import { continueOAuth, oauthAccountPageHref, oauthContinuation } from './oauth-continuation';

export function SignInPage() {
  const signIn = useAppStore((state) => state.signIn);
  const navigate = useNavigate();
  const [searchParams] = useSearchParams();
  const next = searchParams.get('next');
  // An MCP client's authorization request that sent the user here goes on once they are signed in.
  const continuation = oauthContinuation(searchParams);
  // The server sends the browser here when the CommCare side of the sign-in fails or is denied.
  const oauthFailed = searchParams.has('oauth_error') || searchParams.has('error');

  const form = useValidatedForm(signInSchema, async (credentials) => {
    await signIn(credentials);
    if (continuation) continueOAuth(continuation);
    else void navigate(nextPathFrom(next), { replace: true });
  });

  return (
    <AccountPage
      title="Sign in to Scout"
      description={continuation ? 'An MCP client asks to use Scout for you. Sign in first, then choose what it may use.' : 'Ask questions of your CommCare data.'}
      footer={
        <>
          Don't have an account?{' '}
          <AccountLink to={continuation ? oauthAccountPageHref('/sign-up', searchParams) : accountPageHref('/sign-up', next)}>Create one</AccountLink>
        </>
      }
    >
      <OAuthSignIn next={continuation ?? next} />
      <form {...form.formProps} className="grid gap-5">
        {oauthFailed && !form.formError && (
          <Alert variant="destructive">
            <CircleAlert aria-hidden />
            <AlertDescription>Signing in with CommCare didn't finish. Try again, or sign in with your email.</AlertDescription>
          </Alert>
        )}
        {form.formError && <FormErrorAlert error={form.formError} />}
        <FormField label="Email" errors={form.fieldErrors.email}>
          <Input name="email" type="email" autoComplete="email" autoCapitalize="none" spellCheck={false} autoFocus />
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
