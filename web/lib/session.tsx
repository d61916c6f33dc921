'use client';
import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { type Api, createApi } from './api.ts';

const KEY = 'threads-agent.token';

interface Session {
  token: string;
  api: Api;
  signOut: (reason?: string) => void;
}

const SessionContext = createContext<Session | null>(null);

export function useSession(): Session {
  const session = useContext(SessionContext);
  if (!session) throw new Error('useSession outside the signed-in shell');
  return session;
}

/** The token lives in sessionStorage: gone when the tab closes, never in a URL, a cookie or a log. */
export function useStoredToken() {
  const [token, setToken] = useState<string | null | undefined>(undefined);
  const [notice, setNotice] = useState<string | null>(null);
  useEffect(() => setToken(sessionStorage.getItem(KEY)), []);
  const signIn = useCallback((value: string) => {
    sessionStorage.setItem(KEY, value);
    setNotice(null);
    setToken(value);
  }, []);
  const signOut = useCallback((reason?: string) => {
    sessionStorage.removeItem(KEY);
    setNotice(reason ?? null);
    setToken(null);
  }, []);
  return { token, notice, signIn, signOut };
}

export function SessionProvider({
  token,
  signOut,
  children,
}: {
  token: string;
  signOut: (reason?: string) => void;
  children: ReactNode;
}) {
  const value = useMemo(
    () => ({ token, signOut, api: createApi(token, (message) => signOut(`Signed out: ${message}`)) }),
    [token, signOut],
  );
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}
