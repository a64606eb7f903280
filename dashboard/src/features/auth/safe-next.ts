/** safeNext keeps redirects after sign-in inside the dashboard. */
export function safeNext(next: string | null): string {
  return next && next.startsWith("/") && !next.startsWith("//") ? next : "/";
}
