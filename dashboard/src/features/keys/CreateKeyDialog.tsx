import { useState } from "react";
import { useForm } from "react-hook-form";
import { zodResolver } from "@hookform/resolvers/zod";
import { useQueryClient } from "@tanstack/react-query";
import { Plus } from "lucide-react";
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
import { formatDate } from "@/lib/format";
import { createKey, keyKeys } from "./api";
import {
  EXPIRIES, createKeyForm, expiresAt, type CreateKeyForm, type CreatedKey,
} from "./schema";

function ShownOnce({ created, onDone }: { created: CreatedKey; onDone: () => void }) {
  const curl = `curl -X POST ${window.location.origin}/webhook/send \\
  -H "X-API-Key: ${created.key}" \\
  -H "Content-Type: application/json" \\
  -d '{"url": "https://example.com/hooks", "payload": {"hello": "world"}}'`;

  return (
    <>
      <DialogHeader>
        <DialogTitle>Your new API key</DialogTitle>
        <DialogDescription>
          {created.name}
          {created.expiresAt ? ` · expires ${formatDate(created.expiresAt)}` : " · never expires"}
        </DialogDescription>
      </DialogHeader>
      <Alert tone="warning" title="Copy it now. You won't see it again.">
        <p>Chis keeps only a hash of the key. If you lose it, create a new one and revoke this.</p>
      </Alert>
      <div className="grid gap-2">
        <label htmlFor="new-key" className="text-sm font-medium">API key</label>
        <div className="flex gap-2">
          <Input id="new-key" readOnly value={created.key} data-testid="new-api-key"
            className="font-mono text-[13px]" onFocus={(e) => e.currentTarget.select()} />
          <CopyButton value={created.key} label="Copy key" />
        </div>
      </div>
      <details className="group rounded-md border bg-subtle px-3 py-2 text-sm">
        <summary className="cursor-pointer font-medium text-muted-foreground">
          Try it with curl
        </summary>
        <pre className="mt-2 overflow-x-auto font-mono text-xs leading-relaxed">{curl}</pre>
      </details>
      <DialogFooter>
        <Button onClick={onDone}>I've copied it</Button>
      </DialogFooter>
    </>
  );
}

/** CreateKeyDialog creates a key and shows it once, with a copy button. */
export function CreateKeyDialog({ orgId }: { orgId: string }) {
  const [open, setOpen] = useState(false);
  const [created, setCreated] = useState<CreatedKey | null>(null);
  const [formError, setFormError] = useState<string | null>(null);
  const queryClient = useQueryClient();

  const form = useForm<CreateKeyForm>({
    resolver: zodResolver(createKeyForm),
    defaultValues: { name: "", expiry: "never", expiresOn: "" },
  });
  const { errors, isSubmitting } = form.formState;
  const expiry = form.watch("expiry");

  const close = () => {
    setOpen(false);
    setCreated(null);
    setFormError(null);
    form.reset();
  };

  const onSubmit = form.handleSubmit(async (values) => {
    setFormError(null);
    try {
      const key = await createKey(orgId, {
        name: values.name || undefined,
        expiresAt: expiresAt(values),
      });
      setCreated(key);
      await queryClient.invalidateQueries({ queryKey: keyKeys.list(orgId) });
    } catch (err) {
      setFormError(applyServerError(err, form.setError, ["name"], { expiresAt: "expiry" }));
    }
  });

  return (
    <Dialog open={open} onOpenChange={(o) => (o ? setOpen(true) : close())}>
      <DialogTrigger asChild>
        <Button><Plus aria-hidden /> Create API key</Button>
      </DialogTrigger>
      <DialogContent
        onInteractOutside={(e) => created && e.preventDefault()}
        onEscapeKeyDown={(e) => created && e.preventDefault()}
        hideClose={Boolean(created)}
      >
        {created ? <ShownOnce created={created} onDone={close} /> : (
          <>
            <DialogHeader>
              <DialogTitle>Create API key</DialogTitle>
              <DialogDescription>
                Your backend sends webhooks with this key in the X-API-Key header.
              </DialogDescription>
            </DialogHeader>
            <form onSubmit={onSubmit} noValidate className="grid gap-5">
              {formError && <Alert tone="danger">{formError}</Alert>}
              <Field label="Name" optional error={errors.name?.message}
                hint="Where it's used, e.g. “Production backend”.">
                <Input autoFocus placeholder="Production backend" {...form.register("name")} />
              </Field>
              <div className="grid gap-5 sm:grid-cols-2">
                <Field label="Expires" error={errors.expiry?.message}>
                  <NativeSelect {...form.register("expiry")}>
                    {EXPIRIES.map((e) => <option key={e.value} value={e.value}>{e.label}</option>)}
                  </NativeSelect>
                </Field>
                {expiry === "custom" && (
                  <Field label="Expiry date" error={errors.expiresOn?.message}>
                    <Input type="date" {...form.register("expiresOn")} />
                  </Field>
                )}
              </div>
              <DialogFooter>
                <Button type="button" variant="secondary" onClick={close}>Cancel</Button>
                <Button type="submit" loading={isSubmitting}>Create key</Button>
              </DialogFooter>
            </form>
          </>
        )}
      </DialogContent>
    </Dialog>
  );
}
