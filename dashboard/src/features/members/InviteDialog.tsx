import { useState } from "react";
import { useForm } from "react-hook-form";
import { zodResolver } from "@hookform/resolvers/zod";
import { useQueryClient } from "@tanstack/react-query";
import { Link2, UserPlus } from "lucide-react";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import {
  Dialog, DialogContent, DialogDescription, DialogFooter, DialogHeader, DialogTitle,
  DialogTrigger,
} from "@/components/ui/dialog";
import { Input } from "@/components/ui/input";
import { NativeSelect } from "@/components/ui/native-select";
import { CopyButton } from "@/components/copy-button";
import { Field } from "@/components/form-field";
import { applyServerError } from "@/lib/forms";
import { formatRelative } from "@/lib/format";
import { createInvitation, invitationKeys } from "./api";
import { inviteForm, type Invitation, type InviteForm } from "./schema";

/** InviteDialog invites someone by e-mail and shows the link to share. */
export function InviteDialog({ orgId, orgName }: { orgId: string; orgName: string }) {
  const [open, setOpen] = useState(false);
  const [created, setCreated] = useState<Invitation | null>(null);
  const [formError, setFormError] = useState<string | null>(null);
  const queryClient = useQueryClient();

  const form = useForm<InviteForm>({
    resolver: zodResolver(inviteForm),
    defaultValues: { email: "", role: "member" },
  });
  const { errors, isSubmitting } = form.formState;

  const onOpenChange = (next: boolean) => {
    setOpen(next);
    if (!next) {
      setCreated(null);
      setFormError(null);
      form.reset();
    }
  };

  const onSubmit = form.handleSubmit(async (values) => {
    setFormError(null);
    try {
      const inv = await createInvitation(orgId, values);
      await queryClient.invalidateQueries({ queryKey: invitationKeys.list(orgId) });
      setCreated(inv);
    } catch (err) {
      setFormError(applyServerError(err, form.setError, ["email", "role"]));
    }
  });

  return (
    <Dialog open={open} onOpenChange={onOpenChange}>
      <DialogTrigger asChild>
        <Button><UserPlus aria-hidden /> Invite member</Button>
      </DialogTrigger>
      <DialogContent>
        {created ? (
          <>
            <DialogHeader>
              <DialogTitle>Invitation created</DialogTitle>
              <DialogDescription>
                {created.email} can join {orgName} as {created.role === "admin" ? "an admin" :
                  "a member"}. The invitation expires {formatRelative(created.expiresAt)}.
              </DialogDescription>
            </DialogHeader>
            {created.inviteUrl ? (
              <div className="grid gap-2">
                <Alert tone="info" title="No e-mail was sent">
                  <p>This Chis has no mail server configured. Send this link to
                    {" "}{created.email} yourself.</p>
                </Alert>
                <div className="flex gap-2">
                  <Input readOnly value={created.inviteUrl} aria-label="Invitation link"
                    className="font-mono text-xs" onFocus={(e) => e.currentTarget.select()} />
                  <CopyButton value={created.inviteUrl} label="Copy link" />
                </div>
              </div>
            ) : (
              <Alert tone="success" title="Invitation e-mail sent">
                <p>{created.email} will get an e-mail with a link to join.</p>
              </Alert>
            )}
            <DialogFooter>
              <Button variant="secondary" onClick={() => { setCreated(null); form.reset(); }}>
                <Link2 aria-hidden /> Invite another
              </Button>
              <Button onClick={() => onOpenChange(false)}>Done</Button>
            </DialogFooter>
          </>
        ) : (
          <>
            <DialogHeader>
              <DialogTitle>Invite a member</DialogTitle>
              <DialogDescription>
                They'll get access to {orgName}'s webhook log. Admins can also manage keys,
                members and the signing secret.
              </DialogDescription>
            </DialogHeader>
            <form onSubmit={onSubmit} noValidate className="grid gap-5">
              {formError && <Alert tone="danger">{formError}</Alert>}
              <Field label="E-mail" error={errors.email?.message}>
                <Input type="email" autoFocus placeholder="teammate@example.com"
                  {...form.register("email")} />
              </Field>
              <Field label="Role" error={errors.role?.message}>
                <NativeSelect {...form.register("role")}>
                  <option value="member">Member — can view the log and send tests</option>
                  <option value="admin">Admin — can also manage keys, members and settings</option>
                </NativeSelect>
              </Field>
              <DialogFooter>
                <Button type="button" variant="secondary" onClick={() => onOpenChange(false)}>
                  Cancel
                </Button>
                <Button type="submit" loading={isSubmitting}>Send invitation</Button>
              </DialogFooter>
            </form>
          </>
        )}
      </DialogContent>
    </Dialog>
  );
}
