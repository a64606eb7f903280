import type { ReactNode } from "react";
import { PageHeader } from "@/components/page-header";
import { CopyButton } from "@/components/copy-button";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { AdminOnly } from "@/features/orgs/AdminOnly";
import { useOrg } from "@/features/orgs/OrgProvider";
import { DeleteOrgCard } from "./DeleteOrgCard";
import { SigningSecretCard } from "./SigningSecretCard";

function Row({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div className="grid gap-1 py-3 sm:grid-cols-[10rem_minmax(0,1fr)] sm:items-center">
      <dt className="text-sm text-muted-foreground">{label}</dt>
      <dd className="min-w-0 text-sm">{children}</dd>
    </div>
  );
}

/** SettingsPage: the organisation's details, signing secret, and deletion. */
export function SettingsPage() {
  const { current } = useOrg();

  return (
    <AdminOnly title="Settings">
      <PageHeader title="Settings" description={`Settings of ${current.name}.`} />
      <div className="grid gap-6">
        <Card>
          <CardHeader>
            <CardTitle>Organisation</CardTitle>
            <CardDescription>
              Use the id in the X-Org-ID header of dashboard API calls.
            </CardDescription>
          </CardHeader>
          <CardContent>
            <dl className="divide-y border-t">
              <Row label="Name"><span className="font-medium">{current.name}</span></Row>
              <Row label="Slug"><code className="font-mono text-xs">{current.slug}</code></Row>
              <Row label="Organisation id">
                <span className="flex items-center gap-2">
                  <code className="truncate font-mono text-xs">{current.id}</code>
                  <CopyButton value={current.id} iconOnly label="Copy organisation id" />
                </span>
              </Row>
              <Row label="Your role"><span className="capitalize">{current.role}</span></Row>
            </dl>
          </CardContent>
        </Card>
        <SigningSecretCard orgId={current.id} />
        <DeleteOrgCard org={current} />
      </div>
    </AdminOnly>
  );
}
