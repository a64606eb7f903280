import { useState } from "react";
import { useForm } from "react-hook-form";
import { zodResolver } from "@hookform/resolvers/zod";
import { useQueryClient } from "@tanstack/react-query";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Input } from "@/components/ui/input";
import { Field } from "@/components/form-field";
import { applyServerError } from "@/lib/forms";
import { session } from "@/lib/session";
import { createOrg, orgKeys } from "./api";
import { createOrgForm, type CreateOrgForm as Values, type Org } from "./schema";

/** CreateOrgForm creates an organisation and switches to it. */
export function CreateOrgForm({ onCreated, onCancel }: {
  onCreated?: (org: Org) => void;
  onCancel?: () => void;
}) {
  const queryClient = useQueryClient();
  const [formError, setFormError] = useState<string | null>(null);
  const form = useForm<Values>({
    resolver: zodResolver(createOrgForm),
    defaultValues: { name: "" },
  });
  const { errors, isSubmitting } = form.formState;

  const onSubmit = form.handleSubmit(async ({ name }) => {
    setFormError(null);
    try {
      const org = await createOrg(name);
      await queryClient.invalidateQueries({ queryKey: orgKeys.list });
      session.selectOrg(org.id);
      onCreated?.(org);
    } catch (err) {
      setFormError(applyServerError(err, form.setError, ["name"]));
    }
  });

  return (
    <form onSubmit={onSubmit} noValidate className="grid gap-5">
      {formError && <Alert tone="danger">{formError}</Alert>}
      <Field label="Organisation name" error={errors.name?.message}
        hint="Usually your company or team. You'll be its admin.">
        <Input autoFocus placeholder="Acme Inc." {...form.register("name")} />
      </Field>
      <div className="flex flex-col-reverse gap-2 sm:flex-row sm:justify-end">
        {onCancel && <Button type="button" variant="secondary" onClick={onCancel}>Cancel</Button>}
        <Button type="submit" loading={isSubmitting}>Create organisation</Button>
      </div>
    </form>
  );
}
