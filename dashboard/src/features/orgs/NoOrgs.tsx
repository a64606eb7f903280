import { Building2 } from "lucide-react";
import { Logo } from "@/components/logo";
import { Card, CardContent } from "@/components/ui/card";
import { Button } from "@/components/ui/button";
import { session } from "@/lib/session";
import { CreateOrgForm } from "./CreateOrgForm";

/** NoOrgs is shown to a user who belongs to no organisation any more. */
export function NoOrgs() {
  return (
    <div className="flex min-h-dvh flex-col items-center justify-center bg-subtle px-4 py-12">
      <Logo className="mb-8" />
      <Card className="w-full max-w-md">
        <CardContent className="pt-6">
          <div className="mb-5 flex items-center gap-3">
            <span className="flex size-10 items-center justify-center rounded-full
              bg-primary-soft text-primary">
              <Building2 className="size-5" aria-hidden />
            </span>
            <div>
              <h1 className="font-semibold">You're not in an organisation</h1>
              <p className="text-sm text-muted-foreground">
                Create one to send webhooks, or accept an invitation link from a teammate.
              </p>
            </div>
          </div>
          <CreateOrgForm />
        </CardContent>
      </Card>
      <Button variant="link" className="mt-6" onClick={() => session.end("signed-out")}>
        Sign out
      </Button>
    </div>
  );
}
