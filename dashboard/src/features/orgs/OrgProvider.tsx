import { createContext, useContext, useEffect, type ReactNode } from "react";
import { useQuery } from "@tanstack/react-query";
import { ErrorState } from "@/components/error-state";
import { Skeleton } from "@/components/ui/skeleton";
import { session, useSession } from "@/lib/session";
import { listOrgs, orgKeys } from "./api";
import { NoOrgs } from "./NoOrgs";
import type { Org } from "./schema";

export interface OrgContextValue {
  orgs: Org[];
  current: Org;
  isAdmin: boolean;
  select: (id: string) => void;
}

const OrgContext = createContext<OrgContextValue | null>(null);

/** useOrg gives the selected organisation; only inside OrgProvider. */
export function useOrg(): OrgContextValue {
  const v = useContext(OrgContext);
  if (!v) throw new Error("useOrg outside OrgProvider");
  return v;
}

/**
 * OrgProvider loads the user's organisations and keeps one selected. The
 * choice is remembered across reloads; a stale one falls back to the first.
 */
export function OrgProvider({ children }: { children: ReactNode }) {
  const { orgId } = useSession();
  const orgs = useQuery({ queryKey: orgKeys.list, queryFn: listOrgs });

  const list = orgs.data ?? [];
  const current = list.find((o) => o.id === orgId) ?? list[0];

  useEffect(() => {
    if (current && current.id !== orgId) session.selectOrg(current.id);
  }, [current, orgId]);

  if (orgs.isPending) return <FullPageSkeleton />;
  if (orgs.isError) {
    return (
      <div className="flex min-h-dvh items-center justify-center">
        <ErrorState error={orgs.error} onRetry={() => void orgs.refetch()}
          title="Couldn't load your organisations" />
      </div>
    );
  }
  if (!current) return <NoOrgs />;

  const value: OrgContextValue = {
    orgs: list,
    current,
    isAdmin: current.role === "admin",
    select: (id) => session.selectOrg(id),
  };

  return <OrgContext.Provider value={value}>{children}</OrgContext.Provider>;
}

function FullPageSkeleton() {
  return (
    <div className="flex min-h-dvh" aria-busy="true" aria-label="Loading">
      <div className="hidden w-64 border-r bg-sidebar p-4 lg:block">
        <Skeleton className="mb-8 h-8 w-28" />
        {Array.from({ length: 6 }, (_, i) => <Skeleton key={i} className="mb-3 h-7 w-full" />)}
      </div>
      <div className="flex-1 p-8">
        <Skeleton className="mb-6 h-8 w-48" />
        <div className="grid gap-4 sm:grid-cols-2 xl:grid-cols-4">
          {Array.from({ length: 4 }, (_, i) => <Skeleton key={i} className="h-28" />)}
        </div>
      </div>
    </div>
  );
}
