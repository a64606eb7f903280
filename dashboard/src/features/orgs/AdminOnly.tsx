import type { ReactNode } from "react";
import { ShieldAlert } from "lucide-react";
import { EmptyState } from "@/components/empty-state";
import { Card } from "@/components/ui/card";
import { PageHeader } from "@/components/page-header";
import { useOrg } from "./OrgProvider";

/** AdminOnly shows its page to admins and explains the page to members. */
export function AdminOnly({ title, children }: { title: string; children: ReactNode }) {
  const { isAdmin, current } = useOrg();
  if (isAdmin) return <>{children}</>;

  return (
    <>
      <PageHeader title={title} />
      <Card>
        <EmptyState icon={ShieldAlert} title="Admins only">
          You're a member of {current.name}. Ask one of its admins to give you the admin
          role if you need to manage this.
        </EmptyState>
      </Card>
    </>
  );
}
