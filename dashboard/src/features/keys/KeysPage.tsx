import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { Link } from "react-router";
import { KeyRound } from "lucide-react";
import { EmptyState } from "@/components/empty-state";
import { ErrorState } from "@/components/error-state";
import { PageHeader } from "@/components/page-header";
import {
  AlertDialog, AlertDialogAction, AlertDialogCancel, AlertDialogContent,
  AlertDialogDescription, AlertDialogFooter, AlertDialogHeader, AlertDialogTitle,
  AlertDialogTrigger,
} from "@/components/ui/alert-dialog";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { Skeleton } from "@/components/ui/skeleton";
import {
  Table, TableBody, TableCell, TableHead, TableHeader, TableRow,
} from "@/components/ui/table";
import { toast } from "@/components/ui/toast";
import { errorMessage } from "@/lib/http";
import { formatDate, formatDateTime, formatRelative } from "@/lib/format";
import { AdminOnly } from "@/features/orgs/AdminOnly";
import { useOrg } from "@/features/orgs/OrgProvider";
import { keyKeys, listKeys, revokeKey } from "./api";
import { CreateKeyDialog } from "./CreateKeyDialog";
import type { ApiKey } from "./schema";

function RevokeKey({ orgId, apiKey }: { orgId: string; apiKey: ApiKey }) {
  const queryClient = useQueryClient();
  const revoke = useMutation({
    mutationFn: () => revokeKey(orgId, apiKey.id),
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: keyKeys.list(orgId) });
      toast.success("API key revoked", `${apiKey.name} can no longer send webhooks.`);
    },
    onError: (err) => toast.error("Couldn't revoke the key", errorMessage(err)),
  });

  return (
    <AlertDialog>
      <AlertDialogTrigger asChild>
        <Button variant="danger-outline" size="sm" loading={revoke.isPending}
          aria-label={`Revoke ${apiKey.name}`}>
          Revoke
        </Button>
      </AlertDialogTrigger>
      <AlertDialogContent>
        <AlertDialogHeader>
          <AlertDialogTitle>Revoke “{apiKey.name}”?</AlertDialogTitle>
          <AlertDialogDescription>
            Requests with the key starting <code className="font-mono">{apiKey.prefix}</code> will
            be refused at once. Webhooks already accepted are still delivered. This can't be
            undone.
          </AlertDialogDescription>
        </AlertDialogHeader>
        <AlertDialogFooter>
          <AlertDialogCancel>Cancel</AlertDialogCancel>
          <AlertDialogAction danger onClick={() => revoke.mutate()}>Revoke key</AlertDialogAction>
        </AlertDialogFooter>
      </AlertDialogContent>
    </AlertDialog>
  );
}

function Expiry({ at }: { at: string | null }) {
  if (!at) return <span className="text-muted-foreground">Never</span>;
  if (Date.parse(at) <= Date.now()) return <Badge tone="danger">Expired</Badge>;
  return <span title={formatDateTime(at)}>{formatDate(at)}</span>;
}

function KeyTable({ orgId, keys }: { orgId: string; keys: ApiKey[] }) {
  return (
    <Table>
      <TableHeader>
        <TableRow>
          <TableHead>Name</TableHead>
          <TableHead>Key</TableHead>
          <TableHead className="hidden md:table-cell">Created</TableHead>
          <TableHead>Last used</TableHead>
          <TableHead className="hidden sm:table-cell">Expires</TableHead>
          <TableHead className="w-0"><span className="sr-only">Actions</span></TableHead>
        </TableRow>
      </TableHeader>
      <TableBody>
        {keys.map((k) => (
          <TableRow key={k.id}>
            <TableCell className="max-w-56 truncate font-medium">{k.name}</TableCell>
            <TableCell>
              <code className="rounded bg-muted px-1.5 py-0.5 font-mono text-xs">
                {k.prefix}…
              </code>
            </TableCell>
            <TableCell className="hidden text-muted-foreground md:table-cell"
              title={formatDateTime(k.createdAt)}>
              {formatDate(k.createdAt)}
            </TableCell>
            <TableCell className="whitespace-nowrap text-muted-foreground"
              title={k.lastUsedAt ? formatDateTime(k.lastUsedAt) : undefined}>
              {k.lastUsedAt ? formatRelative(k.lastUsedAt) : "Never"}
            </TableCell>
            <TableCell className="hidden sm:table-cell"><Expiry at={k.expiresAt} /></TableCell>
            <TableCell className="text-right"><RevokeKey orgId={orgId} apiKey={k} /></TableCell>
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
}

/** KeysPage lists the organisation's API keys, creates and revokes them. */
export function KeysPage() {
  return <AdminOnly title="API keys"><Keys /></AdminOnly>;
}

function Keys() {
  const { current } = useOrg();
  const keys = useQuery({
    queryKey: keyKeys.list(current.id),
    queryFn: () => listKeys(current.id),
  });

  return (
    <>
      <PageHeader
        title="API keys"
        description="Keys your backend uses to send webhooks through Chis."
        actions={<CreateKeyDialog orgId={current.id} />}
      />
      <Card className="overflow-hidden">
        {keys.isPending && (
          <div className="space-y-3 p-5" aria-busy="true" aria-label="Loading keys">
            <Skeleton className="h-9" /><Skeleton className="h-9" /><Skeleton className="h-9" />
          </div>
        )}
        {keys.isError && <ErrorState error={keys.error} onRetry={() => void keys.refetch()} />}
        {keys.data && keys.data.length === 0 && (
          <EmptyState icon={KeyRound} title="No API keys yet">
            Create a key for each backend that sends webhooks, so you can revoke one without
            touching the others.
          </EmptyState>
        )}
        {keys.data && keys.data.length > 0 && <KeyTable orgId={current.id} keys={keys.data} />}
      </Card>
      <p className="mt-4 text-sm text-muted-foreground">
        Send webhooks with the key in the <code className="font-mono text-xs">X-API-Key</code>
        {" "}header of <code className="font-mono text-xs">POST /webhook/send</code>, or try one
        in the <Link to="/playground" className="font-medium text-primary hover:underline">
        playground</Link>.
      </p>
    </>
  );
}
