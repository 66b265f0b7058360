import { useCallback, useEffect, useRef, useState } from 'react';
import { toast } from 'sonner';
import { asApiError, type ApiError } from '@/api/client';

export type ResourceState<T> =
  | { status: 'loading'; data: undefined; error: null }
  | { status: 'ready'; data: T; error: null }
  | { status: 'error'; data: undefined; error: ApiError };

export type Resource<T> = ResourceState<T> & {
  /** Fetches again. Data already on screen stays there meanwhile, and stays if the refresh fails. */
  reload: () => Promise<void>;
};

const LOADING = { status: 'loading', data: undefined, error: null } as const;

/**
 * Data a page reads from the API, with its loading and error states. `load`
 * must be stable (defined outside the component, or memoized): a new one
 * starts a new load.
 */
export function useResource<T>(load: (signal: AbortSignal) => Promise<T>): Resource<T> {
  const [state, setState] = useState<ResourceState<T>>(LOADING);
  // Only the newest request may write, so a slow old answer can't replace a fresh one.
  const latest = useRef(0);
  const controller = useRef<AbortController | null>(null);

  const fetchInto = useCallback(
    (hadData: boolean): Promise<void> => {
      const request = ++latest.current;
      controller.current?.abort();
      const abort = new AbortController();
      controller.current = abort;
      return load(abort.signal).then(
        (data) => {
          if (request === latest.current) setState({ status: 'ready', data, error: null });
        },
        (error: unknown) => {
          if (request !== latest.current || abort.signal.aborted) return;
          const apiError = asApiError(error);
          if (hadData) toast.error("Couldn't refresh this list", { description: apiError.message });
          else setState({ status: 'error', data: undefined, error: apiError });
        },
      );
    },
    [load],
  );

  useEffect(() => {
    void fetchInto(false);
    // Leaving the page (or a new `load`) cancels the request; its answer would be ignored anyway.
    return () => controller.current?.abort();
  }, [fetchInto]);

  const hasData = state.status === 'ready';
  const reload = useCallback(async () => {
    if (!hasData) setState(LOADING);
    await fetchInto(hasData);
  }, [fetchInto, hasData]);

  return { ...state, reload };
}
