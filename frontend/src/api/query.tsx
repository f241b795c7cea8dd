// Server state through one query library (TanStack Query). A query is keyed by what it asks (see `keys`), so
// an answer can only land where its key still applies: a slow answer for last month cannot overwrite this
// month's, and a superseded request is aborted (queryFn receives `signal`). Mutations invalidate the keys they
// change instead of patching state by hand.
import { useEffect, useRef, useState } from 'react';
import type { ReactNode } from 'react';
import { App as AntApp } from 'antd';
import { MutationCache, QueryCache, QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { ApiError } from './index';
import { useI18n } from '../i18n';

declare module '@tanstack/react-query' {
  interface Register {
    defaultError: ApiError;
    /** `meta.silent`: the page shows the error itself (no global message). */
    queryMeta: { silent?: boolean };
    mutationMeta: { silent?: boolean };
  }
}

/** Query keys, one prefix per area, so a mutation can invalidate a whole area: `['t', tenant, 'staff', ...]`. */
export const keys = {
  tenant: (tenant: string, ...rest: unknown[]) => ['t', tenant, ...rest] as const,
};

function retry(count: number, err: unknown): boolean {
  // network hiccups once more; an answer of the server (4xx/5xx) is final
  return count < 1 && err instanceof ApiError && err.status === 0;
}

/** The one QueryClient of the app; errors of queries (and unhandled ones of mutations) show as a message. */
export function ApiQueryProvider({ children }: { children: ReactNode }) {
  const { message } = AntApp.useApp();
  const { lang } = useI18n();
  const notify = useRef<(err: unknown) => void>(() => undefined);
  notify.current = (err: unknown) => {
    if (err instanceof DOMException) return;
    const apiErr = err instanceof ApiError ? err : new ApiError(0, null);
    if (apiErr.status === 401) return; // the login page takes over
    void message.error(apiErr.message(lang));
  };
  const [queryClient] = useState(
    () =>
      new QueryClient({
        queryCache: new QueryCache({
          onError: (err, query) => {
            if (!query.meta?.silent) notify.current(err);
          },
        }),
        mutationCache: new MutationCache({
          onError: (err, _vars, _ctx, mutation) => {
            // a mutation with its own onError (form field errors) reports itself
            if (!mutation.meta?.silent && !mutation.options.onError) notify.current(err);
          },
        }),
        defaultOptions: {
          queries: { retry, staleTime: 5_000, refetchOnWindowFocus: false },
          mutations: { retry: false },
        },
      }),
  );
  return <QueryClientProvider client={queryClient}>{children}</QueryClientProvider>;
}

/** Clears every cached answer when the user changes (logout, another login), so nobody sees the previous user's data. */
export function useClearOnUserChange(userId: string | number | null | undefined, clear: () => void) {
  const last = useRef(userId);
  useEffect(() => {
    if (last.current !== undefined && last.current !== userId) clear();
    last.current = userId;
  }, [userId, clear]);
}
