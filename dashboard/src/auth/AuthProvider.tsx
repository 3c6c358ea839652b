import {
  createContext,
  type ReactNode,
  useCallback,
  useContext,
  useEffect,
  useMemo,
  useRef,
  useState,
} from 'react';
import { type ApiRequestError, apiConfig, onWriteDenied, setBearerSource } from '../api/client.ts';
import type { ConfigSource, DashboardConfig } from '../config.ts';
import { browserStore, readItem, writeItem } from '../lib/storage.ts';
import { type SignedInUser, supabaseClient, userOf } from './supabase.ts';

/** localStorage key of the pasted admin token. */
export const ADMIN_TOKEN_KEY = 'stratos.adminToken';

/** Credentials and the settings dialog, shared by the shell and every write button. */
export interface AuthState {
  config: DashboardConfig;
  configSource: ConfigSource;
  /** The pasted admin token (local stack), or null. */
  adminToken: string | null;
  setAdminToken: (token: string | null) => void;
  /** The Supabase user when signed in; null otherwise or without Supabase. */
  user: SignedInUser | null;
  /** Sign-in is offered only when the config names a Supabase project. */
  supabaseEnabled: boolean;
  signIn: (email: string, password: string) => Promise<void>;
  signOut: () => Promise<void>;
  /** A write credential is present (the server still decides whether it is an admin's). */
  hasWriteCredential: boolean;
  /** The last write the server refused (401/403), until credentials change or it is dismissed. */
  denied: ApiRequestError | null;
  dismissDenied: () => void;
  settingsOpen: boolean;
  openSettings: () => void;
  closeSettings: () => void;
}

const AuthContext = createContext<AuthState | null>(null);

/** Provides useAuth(): loads the stored token, restores a Supabase session, and signs writes. */
export function AuthProvider({
  configSource,
  children,
}: {
  configSource: ConfigSource;
  children: ReactNode;
}) {
  const config = apiConfig();
  const [adminToken, setToken] = useState(() => readItem(browserStore(), ADMIN_TOKEN_KEY));
  const [user, setUser] = useState<SignedInUser | null>(null);
  const [denied, setDenied] = useState<ApiRequestError | null>(null);
  const [settingsOpen, setSettingsOpen] = useState(false);

  // The client reads the bearer at request time: a refreshed Supabase token applies at once.
  const bearer = useRef<string | null>(null);
  bearer.current = user?.accessToken ?? adminToken;
  useEffect(() => {
    setBearerSource(() => bearer.current);
    return onWriteDenied(setDenied);
  }, []);

  const { supabaseUrl, publishableKey } = config;
  useEffect(() => {
    if (!supabaseUrl) return;
    let unsubscribe = () => {};
    let cancelled = false;
    void supabaseClient(supabaseUrl, publishableKey).then(async (client) => {
      if (cancelled) return;
      const { data } = client.auth.onAuthStateChange((_event, session) => setUser(userOf(session)));
      unsubscribe = () => data.subscription.unsubscribe();
      setUser(userOf((await client.auth.getSession()).data.session));
    });
    return () => {
      cancelled = true;
      unsubscribe();
    };
  }, [supabaseUrl, publishableKey]);

  const setAdminToken = useCallback((token: string | null) => {
    const value = token?.trim() ? token.trim() : null;
    writeItem(browserStore(), ADMIN_TOKEN_KEY, value);
    setToken(value);
    setDenied(null);
  }, []);

  const signIn = useCallback(
    async (email: string, password: string) => {
      if (!supabaseUrl) throw new Error('no Supabase project is configured');
      const client = await supabaseClient(supabaseUrl, publishableKey);
      const { data, error } = await client.auth.signInWithPassword({ email, password });
      if (error) throw error;
      setUser(userOf(data.session));
      setDenied(null);
    },
    [supabaseUrl, publishableKey],
  );

  const signOut = useCallback(async () => {
    if (!supabaseUrl) return;
    const client = await supabaseClient(supabaseUrl, publishableKey);
    await client.auth.signOut();
    setUser(null);
  }, [supabaseUrl, publishableKey]);

  const value = useMemo<AuthState>(
    () => ({
      config,
      configSource,
      adminToken,
      setAdminToken,
      user,
      supabaseEnabled: Boolean(supabaseUrl),
      signIn,
      signOut,
      hasWriteCredential: Boolean(user?.accessToken ?? adminToken),
      denied,
      dismissDenied: () => setDenied(null),
      settingsOpen,
      openSettings: () => setSettingsOpen(true),
      closeSettings: () => setSettingsOpen(false),
    }),
    [
      config,
      configSource,
      adminToken,
      setAdminToken,
      user,
      supabaseUrl,
      signIn,
      signOut,
      denied,
      settingsOpen,
    ],
  );
  return <AuthContext.Provider value={value}>{children}</AuthContext.Provider>;
}

/** Credentials, the refused-write state and the settings dialog; for write buttons and the shell. */
export function useAuth(): AuthState {
  const auth = useContext(AuthContext);
  if (!auth) throw new Error('useAuth outside <AuthProvider>');
  return auth;
}
