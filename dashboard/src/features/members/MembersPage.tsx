import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { MailPlus, Users } from "lucide-react";
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
import { Card, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { Skeleton } from "@/components/ui/skeleton";
import {
  Table, TableBody, TableCell, TableHead, TableHeader, TableRow,
} from "@/components/ui/table";
import { toast } from "@/components/ui/toast";
import { errorMessage } from "@/lib/http";
import { formatDate, formatRelative } from "@/lib/format";
import { AdminOnly } from "@/features/orgs/AdminOnly";
import { useOrg } from "@/features/orgs/OrgProvider";
import { cancelInvitation, invitationKeys, listInvitations, listMembers, memberKeys } from "./api";
import { InviteDialog } from "./InviteDialog";
import type { Invitation } from "./schema";

function RoleBadge({ role }: { role: string }) {
  return <Badge tone={role === "admin" ? "primary" : "neutral"} className="capitalize">
    {role}</Badge>;
}

function TableSkeleton({ rows = 3 }: { rows?: number }) {
  return (
    <div className="space-y-3 px-5 pb-5" aria-busy="true" aria-label="Loading">
      {Array.from({ length: rows }, (_, i) => <Skeleton key={i} className="h-9" />)}
    </div>
  );
}

function MembersCard({ orgId }: { orgId: string }) {
  const members = useQuery({ queryKey: memberKeys.list(orgId), queryFn: () => listMembers(orgId) });

  return (
    <Card>
      <CardHeader>
        <CardTitle>People</CardTitle>
        <CardDescription>Everyone who can sign in to this organisation.</CardDescription>
      </CardHeader>
      {members.isPending && <TableSkeleton />}
      {members.isError && (
        <ErrorState error={members.error} onRetry={() => void members.refetch()} />
      )}
      {members.data && members.data.length === 0 && (
        <EmptyState icon={Users} title="No members yet" />
      )}
      {members.data && members.data.length > 0 && (
        <Table>
          <TableHeader>
            <TableRow>
              <TableHead>Name</TableHead>
              <TableHead>Role</TableHead>
              <TableHead className="hidden sm:table-cell">Joined</TableHead>
            </TableRow>
          </TableHeader>
          <TableBody>
            {members.data.map((m) => (
              <TableRow key={m.userId}>
                <TableCell>
                  <div className="flex items-center gap-3">
                    <span className="flex size-8 shrink-0 items-center justify-center rounded-full
                      bg-muted text-xs font-semibold text-foreground/70 uppercase">
                      {(m.firstName[0] ?? "") + (m.lastName[0] ?? "")}
                    </span>
                    <div className="min-w-0">
                      <div className="truncate font-medium">
                        {`${m.firstName} ${m.lastName}`.trim() || m.email}
                      </div>
                      <div className="truncate text-xs text-muted-foreground">{m.email}</div>
                    </div>
                  </div>
                </TableCell>
                <TableCell><RoleBadge role={m.role} /></TableCell>
                <TableCell className="hidden text-muted-foreground sm:table-cell">
                  {formatDate(m.joinedAt)}
                </TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      )}
    </Card>
  );
}

function CancelInvitation({ orgId, invitation }: { orgId: string; invitation: Invitation }) {
  const queryClient = useQueryClient();
  const cancel = useMutation({
    mutationFn: () => cancelInvitation(orgId, invitation.id),
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: invitationKeys.list(orgId) });
      toast.success("Invitation cancelled", `${invitation.email} can no longer use the link.`);
    },
    onError: (err) => toast.error("Couldn't cancel the invitation", errorMessage(err)),
  });

  return (
    <AlertDialog>
      <AlertDialogTrigger asChild>
        <Button variant="ghost" size="sm" loading={cancel.isPending}
          aria-label={`Cancel invitation for ${invitation.email}`}>
          Cancel
        </Button>
      </AlertDialogTrigger>
      <AlertDialogContent>
        <AlertDialogHeader>
          <AlertDialogTitle>Cancel this invitation?</AlertDialogTitle>
          <AlertDialogDescription>
            The link sent to {invitation.email} will stop working. You can invite them again
            later.
          </AlertDialogDescription>
        </AlertDialogHeader>
        <AlertDialogFooter>
          <AlertDialogCancel>Keep it</AlertDialogCancel>
          <AlertDialogAction danger onClick={() => cancel.mutate()}>
            Cancel invitation
          </AlertDialogAction>
        </AlertDialogFooter>
      </AlertDialogContent>
    </AlertDialog>
  );
}

const statusTone = {
  pending: "warning", accepted: "success", declined: "neutral", cancelled: "neutral",
  expired: "neutral",
} as const;

function InvitationsCard({ orgId }: { orgId: string }) {
  const invitations = useQuery({
    queryKey: invitationKeys.list(orgId),
    queryFn: () => listInvitations(orgId),
  });

  return (
    <Card>
      <CardHeader>
        <CardTitle>Invitations</CardTitle>
        <CardDescription>Invitations you've sent that haven't been used yet.</CardDescription>
      </CardHeader>
      {invitations.isPending && <TableSkeleton rows={2} />}
      {invitations.isError && (
        <ErrorState error={invitations.error} onRetry={() => void invitations.refetch()} />
      )}
      {invitations.data && invitations.data.length === 0 && (
        <EmptyState icon={MailPlus} title="No open invitations" className="py-10">
          Invite a teammate to share the webhook log and on-call duty.
        </EmptyState>
      )}
      {invitations.data && invitations.data.length > 0 && (
        <Table>
          <TableHeader>
            <TableRow>
              <TableHead>E-mail</TableHead>
              <TableHead>Role</TableHead>
              <TableHead>Status</TableHead>
              <TableHead className="hidden sm:table-cell">Expires</TableHead>
              <TableHead className="w-0"><span className="sr-only">Actions</span></TableHead>
            </TableRow>
          </TableHeader>
          <TableBody>
            {invitations.data.map((inv) => (
              <TableRow key={inv.id}>
                <TableCell className="max-w-56 truncate font-medium">{inv.email}</TableCell>
                <TableCell><RoleBadge role={inv.role} /></TableCell>
                <TableCell>
                  <Badge className="capitalize"
                    tone={statusTone[inv.status as keyof typeof statusTone] ?? "neutral"}>
                    {inv.status}
                  </Badge>
                </TableCell>
                <TableCell className="hidden text-muted-foreground sm:table-cell">
                  {formatRelative(inv.expiresAt)}
                </TableCell>
                <TableCell className="text-right">
                  {inv.status === "pending" && <CancelInvitation orgId={orgId} invitation={inv} />}
                </TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      )}
    </Card>
  );
}

export function MembersPage() {
  const { current } = useOrg();

  return (
    <AdminOnly title="Members">
      <PageHeader
        title="Members"
        description={`Who can see and manage ${current.name}.`}
        actions={<InviteDialog orgId={current.id} orgName={current.name} />}
      />
      <div className="grid gap-6">
        <MembersCard orgId={current.id} />
        <InvitationsCard orgId={current.id} />
      </div>
    </AdminOnly>
  );
}
