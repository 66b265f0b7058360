import { useCallback } from 'react';
import { useNavigate } from 'react-router';
import { toast } from 'sonner';
import { isApiError } from '@/api/client';
import { useAppStore } from '@/store/app-store';

/** Ends the session, then leaves for the sign-in page (or `signInHref`); on failure says so and stays put. */
export function useSignOut(signInHref = '/sign-in'): () => Promise<void> {
  const signOut = useAppStore((state) => state.signOut);
  const navigate = useNavigate();

  return useCallback(async () => {
    try {
      await signOut();
    } catch (error) {
      toast.error("Couldn't sign out", {
        description: isApiError(error) ? error.message : 'Please try again.',
      });
      return;
    }
    void navigate(signInHref, { replace: true });
    toast('Signed out');
  }, [signOut, navigate, signInHref]);
}
