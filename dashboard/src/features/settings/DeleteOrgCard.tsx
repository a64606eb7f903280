import { useState } from "react";
import { useForm } from "react-hook-form";
import { zodResolver } from "@hookform/resolvers/zod";
import { useQueryClient } from "@tanstack/react-query";
import { useNavigate } from "react-router";
import { Trash2 } from "lucide-react";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import {
  Card, CardDescription, CardFooter, CardHeader, CardTitle,
} from "@/components/ui/card";
import {
  Dialog, DialogContent, DialogDescription, DialogFooter, DialogHeader, DialogTitle,
  DialogTrigger,
} from "@/components/ui/dialog";
import { Input } from "@/components/ui/input";
import { toast } from "@/components/ui/toast";
import { Field } from "@/components/form-field";
import { applyServerError } from "@/lib/forms";
import { session } from "@/lib/session";
import { deleteOrg, orgKeys } from "@/features/orgs/api";
import type { Org } from "@/features/orgs/schema";
import { deleteOrgForm, type DeleteOrgForm } from "./schema";

/** DeleteOrgCard deletes the organisation once its name is typed. */
export function DeleteOrgCard({ org }: { org: Org }) {
  const [open, setOpen] = useState(false);
  const [formError, setFormError] = useState<string | null>(null);
  const queryClient = useQueryClient();
  const navigate = useNavigate();

  const form = useForm<DeleteOrgForm>({
    resolver: zodResolver(deleteOrgForm(org.name)),
    defaultValues: { name: "" },
  });
  const typed = form.watch("name");
  const { errors, isSubmitting } = form.formState;

  const onSubmit = form.handleSubmit(async ({ name }) => {
    setFormError(null);
    try {
      await deleteOrg(org.id, name);
      setOpen(false);
      queryClient.removeQueries({ queryKey: ["org", org.id] });
      queryClient.setQueryData<Org[]>(orgKeys.list, (old) => old?.filter((o) => o.id !== org.id));
      session.selectOrg(null);
      await queryClient.invalidateQueries({ queryKey: orgKeys.list });
      toast.success("Organisation deleted", `${org.name} and its data are gone.`);
      navigate("/", { replace: true });
    } catch (err) {
      setFormError(applyServerError(err, form.setError, ["name"]));
    }
  });

  return (
    <Card className="border-danger/30">
      <CardHeader>
        <CardTitle className="text-danger">Delete organisation</CardTitle>
        <CardDescription>
          Deletes {org.name} with its API keys, webhook log and invitations. Webhooks still
          waiting are not delivered. This can't be undone.
        </CardDescription>
      </CardHeader>
      <CardFooter className="justify-end border-danger/20 bg-danger-soft/40">
        <Dialog open={open} onOpenChange={(o) => { setOpen(o); if (!o) form.reset(); }}>
          <DialogTrigger asChild>
            <Button variant="danger"><Trash2 aria-hidden /> Delete organisation</Button>
          </DialogTrigger>
          <DialogContent>
            <DialogHeader>
              <DialogTitle>Delete {org.name}?</DialogTitle>
              <DialogDescription>
                Everything in this organisation is deleted for every member.
              </DialogDescription>
            </DialogHeader>
            <form onSubmit={onSubmit} noValidate className="grid gap-5">
              {formError && <Alert tone="danger">{formError}</Alert>}
              <Field
                label={<>Type <span className="font-mono font-semibold">{org.name}</span> to
                  confirm</>}
                error={errors.name?.message}
              >
                <Input autoComplete="off" autoFocus {...form.register("name")} />
              </Field>
              <DialogFooter>
                <Button type="button" variant="secondary" onClick={() => setOpen(false)}>
                  Cancel
                </Button>
                <Button type="submit" variant="danger" loading={isSubmitting}
                  disabled={typed !== org.name}>
                  Delete for everyone
                </Button>
              </DialogFooter>
            </form>
          </DialogContent>
        </Dialog>
      </CardFooter>
    </Card>
  );
}
