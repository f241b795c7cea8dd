// Auth context: the current user (`me`), refresh, logout, and permission checks.
import { createContext, useCallback, useContext, useEffect, useMemo, useRef, useState } from 'react';
import type { ReactNode } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { useNavigate } from 'react-router-dom';
import { authApi, setUnauthorizedHandler } from './api';
import type { Me } from './api';

export interface Auth {
  /** undefined while the first /api/auth/me is in flight, null when logged out. */
  me: Me | null | undefined;
  loading: boolean;
  refresh: () => Promise<Me | null>;
  setMe: (me: Me | null) => void;
  logout: () => Promise<void>;
  can: (permission?: string) => boolean;
}

const AuthContext = createContext<Auth | null>(null);

export function hasPermission(me: Me | null | undefined, permission?: string): boolean {
  if (!permission) return true;
  return !!me && permission.split('|').some((p) => me.permissions.includes(p));
}

export function AuthProvider({ children }: { children: ReactNode }) {
  const [me, setMe] = useState<Me | null | undefined>(undefined);
  const navigate = useNavigate();
  const queryClient = useQueryClient();

  // `navigate` changes identity on every route change; keep the latest in a ref so that the effect
  // below (install the 401 handler, load `me`) runs once.
  const navigateRef = useRef(navigate);
  navigateRef.current = navigate;

  const refresh = useCallback(async () => {
    try {
      const current = await authApi.me();
      setMe(current);
      return current;
    } catch {
      setMe(null);
      return null;
    }
  }, []);

  const logout = useCallback(async () => {
    try {
      await authApi.logout();
    } catch {
      // the session is gone either way
    }
    setMe(null);
    queryClient.clear(); // the next user must not see this one's answers
    navigateRef.current('/login', { replace: true });
  }, [queryClient]);

  useEffect(() => {
    setUnauthorizedHandler(() => {
      setMe(null);
      queryClient.clear();
      navigateRef.current('/login', { replace: true });
    });
    void refresh();
  }, [refresh, queryClient]);

  const value = useMemo<Auth>(
    () => ({
      me,
      loading: me === undefined,
      refresh,
      setMe,
      logout,
      can: (permission?: string) => hasPermission(me, permission),
    }),
    [me, refresh, logout],
  );
  return <AuthContext.Provider value={value}>{children}</AuthContext.Provider>;
}

export function useAuth(): Auth {
  const ctx = useContext(AuthContext);
  if (!ctx) throw new Error('useAuth must be used inside <AuthProvider>');
  return ctx;
}
