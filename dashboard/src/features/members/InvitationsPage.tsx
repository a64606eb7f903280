import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useNavigate } from "react-router";
import { Building2, Inbox } from "lucide-react";
import { EmptyState } from "@/components/empty-state";
import { ErrorState } from "@/components/error-state";
import { PageHeader } from "@/components/page-header";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { Skeleton } from "@/components/ui/skeleton";
import { toast } from "@/components/ui/toast";
import { errorMessage } from "@/lib/http";
import { formatRelative } from "@/lib/format";
import { session } from "@/lib/session";
import { orgKeys } from "@/features/orgs/api";
import { invitationKeys, listPendingInvitations, respondToInvitation } from "./api";
import type { PendingInvitation } from "./schema";

function InvitationRow({ invitation }: { invitation: PendingInvitation }) {
  const queryClient = useQueryClient();
  const navigate = useNavigate();

  const respond = useMutation({
    mutationFn: (action: "accept" | "decline") => respondToInvitation(invitation.id, action),
    onSuccess: async (res, action) => {
      await queryClient.invalidateQueries({ queryKey: invitationKeys.pending });
      if (action === "decline") {
        toast.success("Invitation declined");
        return;
      }

      await queryClient.invalidateQueries({ queryKey: orgKeys.list });
      if (res.orgId) session.selectOrg(res.orgId);
      toast.success(`Welcome to ${invitation.orgName}`);
      navigate("/");
    },
    onError: (err) => toast.error("Couldn't answer the invitation", errorMessage(err)),
  });

  return (
    <li className="flex flex-col gap-4 p-5 sm:flex-row sm:items-center">
      <span className="flex size-10 shrink-0 items-center justify-center rounded-lg
        bg-primary-soft text-primary">
        <Building2 className="size-5" aria-hidden />
      </span>
      <div className="min-w-0 flex-1">
        <div className="flex flex-wrap items-center gap-2">
          <span className="font-medium">{invitation.orgName}</span>
          <Badge tone={invitation.role === "admin" ? "primary" : "neutral"} className="capitalize">
            {invitation.role}
          </Badge>
        </div>
        <p className="text-sm text-muted-foreground">
          Expires {formatRelative(invitation.expiresAt)}
        </p>
      </div>
      <div className="flex gap-2">
        <Button variant="secondary" disabled={respond.isPending}
          loading={respond.isPending && respond.variables === "decline"}
          onClick={() => respond.mutate("decline")}>
          Decline
        </Button>
        <Button disabled={respond.isPending}
          loading={respond.isPending && respond.variables === "accept"}
          onClick={() => respond.mutate("accept")}>
          Accept
        </Button>
      </div>
    </li>
  );
}

/** InvitationsPage lists invitations addressed to the signed-in user. */
export function InvitationsPage() {
  const pending = useQuery({ queryKey: invitationKeys.pending, queryFn: listPendingInvitations });

  return (
    <>
      <PageHeader title="Invitations"
        description="Organisations that have invited you to join them." />
      <Card>
        {pending.isPending && (
          <div className="space-y-3 p-5" aria-busy="true" aria-label="Loading">
            <Skeleton className="h-14" /><Skeleton className="h-14" />
          </div>
        )}
        {pending.isError && (
          <ErrorState error={pending.error} onRetry={() => void pending.refetch()} />
        )}
        {pending.data && pending.data.length === 0 && (
          <EmptyState icon={Inbox} title="No invitations for you">
            When someone invites your e-mail address to their organisation, it shows up here.
          </EmptyState>
        )}
        {pending.data && pending.data.length > 0 && (
          <ul className="divide-y">
            {pending.data.map((inv) => <InvitationRow key={inv.id} invitation={inv} />)}
          </ul>
        )}
      </Card>
    </>
  );
}
