import { useEffect, useRef } from "react";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { Link, useNavigate, useSearchParams } from "react-router";
import { CheckCircle2, Loader2, XCircle } from "lucide-react";
import { Logo } from "@/components/logo";
import { Button } from "@/components/ui/button";
import { Card, CardContent } from "@/components/ui/card";
import { errorMessage } from "@/lib/http";
import { session } from "@/lib/session";
import { orgKeys } from "@/features/orgs/api";
import { acceptInvitation, invitationKeys } from "./api";

/**
 * AcceptInvitationPage is where an invitation link lands. It accepts the
 * token from the query once the user is signed in (RequireAuth sends them
 * through sign-in first and back here).
 */
export function AcceptInvitationPage() {
  const [params] = useSearchParams();
  const token = params.get("token") ?? "";
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const started = useRef(false);

  const accept = useMutation({
    mutationFn: acceptInvitation,
    onSuccess: async () => {
      await Promise.all([
        queryClient.invalidateQueries({ queryKey: orgKeys.list }),
        queryClient.invalidateQueries({ queryKey: invitationKeys.pending }),
      ]);
    },
  });

  useEffect(() => {
    if (started.current || !token) return;
    started.current = true;
    accept.mutate(token);
  }, [token, accept]);

  const open = (orgId: string) => {
    session.selectOrg(orgId);
    navigate("/", { replace: true });
  };

  let body;
  if (!token) {
    body = <Outcome ok={false} title="This link is incomplete"
      text="The invitation link has no token. Copy the whole link from the message you got." />;
  } else if (accept.isSuccess) {
    body = (
      <Outcome ok title={`You've joined ${accept.data.orgName}`}
        text={`You're ${accept.data.role === "admin" ? "an admin" : "a member"} now.`}>
        <Button className="mt-6 w-full" onClick={() => open(accept.data.orgId)}>
          Open {accept.data.orgName}
        </Button>
      </Outcome>
    );
  } else if (accept.isError) {
    body = <Outcome ok={false} title="Couldn't accept the invitation"
      text={errorMessage(accept.error)} />;
  } else {
    body = (
      <div className="flex flex-col items-center py-6 text-center" role="status">
        <Loader2 className="mb-4 size-8 animate-spin text-primary" aria-hidden />
        <p className="font-medium">Accepting your invitation…</p>
      </div>
    );
  }

  return (
    <div className="flex min-h-dvh flex-col items-center justify-center bg-subtle px-4">
      <Logo className="mb-8" />
      <Card className="w-full max-w-md">
        <CardContent className="pt-6">{body}</CardContent>
      </Card>
      <Link to="/" className="mt-6 text-sm font-medium text-primary hover:underline">
        Go to the dashboard
      </Link>
    </div>
  );
}

function Outcome({ ok, title, text, children }: {
  ok: boolean;
  title: string;
  text: string;
  children?: React.ReactNode;
}) {
  const Icon = ok ? CheckCircle2 : XCircle;
  return (
    <div className="flex flex-col items-center py-4 text-center" role={ok ? "status" : "alert"}>
      <Icon className={`mb-4 size-10 ${ok ? "text-success" : "text-danger"}`} aria-hidden />
      <h1 className="text-lg font-semibold">{title}</h1>
      <p className="mt-1 text-sm text-muted-foreground">{text}</p>
      {children}
    </div>
  );
}
