import type { ReactNode } from "react";
import { Navigate, useLocation, useSearchParams } from "react-router";
import { useSession } from "@/lib/session";
import { safeNext } from "./safe-next";

/** RequireAuth sends visitors without a session to sign-in, and back after. */
export function RequireAuth({ children }: { children: ReactNode }) {
  const { token } = useSession();
  const location = useLocation();

  if (!token) {
    const next = location.pathname + location.search;
    const to = next === "/" ? "/login" : `/login?next=${encodeURIComponent(next)}`;
    return <Navigate to={to} replace />;
  }

  return <>{children}</>;
}

/** GuestOnly keeps signed-in users away from the sign-in and sign-up pages. */
export function GuestOnly({ children }: { children: ReactNode }) {
  const { token } = useSession();
  const [params] = useSearchParams();
  return token ? <Navigate to={safeNext(params.get("next"))} replace /> : <>{children}</>;
}
