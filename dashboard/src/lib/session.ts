/**
 * The signed-in session: the JWT from POST /auth/login, its expiry, and the
 * organisation the user is looking at. It lives in localStorage so a reload
 * keeps the user signed in, and components subscribe to it with useSession.
 */
import { useSyncExternalStore } from "react";

export type EndReason = "signed-out" | "expired";

export interface Session {
  token: string | null;
  expiresAt: string | null;
  orgId: string | null;
  /** Why the last session ended, shown once on the sign-in page. */
  ended: EndReason | null;
}

const TOKEN_KEY = "chis.token";
const EXPIRES_KEY = "chis.expiresAt";
const ORG_KEY = "chis.orgId";

function read(key: string): string | null {
  try {
    return window.localStorage.getItem(key);
  } catch {
    return null;
  }
}

function write(key: string, value: string | null): void {
  try {
    if (value === null) window.localStorage.removeItem(key);
    else window.localStorage.setItem(key, value);
  } catch {
    // Private mode without storage: the session lasts until the tab closes.
  }
}

function load(): Session {
  const token = read(TOKEN_KEY);
  const expiresAt = read(EXPIRES_KEY);
  const expired = expiresAt !== null && Date.parse(expiresAt) <= Date.now();

  if (token && !expired) {
    return { token, expiresAt, orgId: read(ORG_KEY), ended: null };
  }

  return { token: null, expiresAt: null, orgId: read(ORG_KEY), ended: token ? "expired" : null };
}

let current: Session = load();
const listeners = new Set<() => void>();

function set(next: Session): void {
  current = next;
  write(TOKEN_KEY, next.token);
  write(EXPIRES_KEY, next.expiresAt);
  write(ORG_KEY, next.orgId);
  listeners.forEach((l) => l());
}

export const session = {
  get(): Session {
    return current;
  },

  subscribe(listener: () => void): () => void {
    listeners.add(listener);
    return () => listeners.delete(listener);
  },

  signIn(token: string, expiresAt: string): void {
    set({ ...current, token, expiresAt, ended: null });
  },

  /** end forgets the token; the org choice is kept for the next sign-in. */
  end(reason: EndReason): void {
    if (current.token === null && current.ended === reason) return;
    set({ ...current, token: null, expiresAt: null, ended: reason });
  },

  selectOrg(orgId: string | null): void {
    if (current.orgId === orgId) return;
    set({ ...current, orgId });
  },

  /** reload re-reads storage; tests use it after changing localStorage. */
  reload(): void {
    current = load();
    listeners.forEach((l) => l());
  },
};

export function useSession(): Session {
  return useSyncExternalStore(session.subscribe, session.get, session.get);
}
