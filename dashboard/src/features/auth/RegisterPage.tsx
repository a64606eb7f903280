import { useState } from "react";
import { useForm } from "react-hook-form";
import { zodResolver } from "@hookform/resolvers/zod";
import { useQueryClient } from "@tanstack/react-query";
import { Link, useNavigate, useSearchParams } from "react-router";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Input } from "@/components/ui/input";
import { Field } from "@/components/form-field";
import { applyServerError } from "@/lib/forms";
import { session } from "@/lib/session";
import { login, register } from "./api";
import { AuthLayout } from "./AuthLayout";
import { safeNext } from "./safe-next";
import { registerForm, type RegisterForm } from "./schema";

export function RegisterPage() {
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const [params] = useSearchParams();
  const [formError, setFormError] = useState<string | null>(null);

  const form = useForm<RegisterForm>({
    resolver: zodResolver(registerForm),
    defaultValues: { firstName: "", lastName: "", email: "", password: "" },
  });
  const { errors, isSubmitting } = form.formState;

  const onSubmit = form.handleSubmit(async (values) => {
    setFormError(null);
    try {
      await register(values);
      const { token, expiresAt } = await login({ email: values.email, password: values.password });
      // Nothing cached for a previous user may show through.
      queryClient.clear();
      session.signIn(token, expiresAt);
      navigate(safeNext(params.get("next")), { replace: true });
    } catch (err) {
      setFormError(applyServerError(err, form.setError,
        ["firstName", "lastName", "email", "password"]));
    }
  });

  return (
    <AuthLayout
      title="Create your account"
      subtitle="You'll get an organisation of your own, ready to send webhooks."
      footer={<>Already have an account? <Link to="/login" className="font-medium
        text-primary hover:underline">Sign in</Link></>}
    >
      <form onSubmit={onSubmit} noValidate className="grid gap-5">
        {formError && <Alert tone="danger" title="Couldn't create the account">{formError}</Alert>}

        <div className="grid gap-5 sm:grid-cols-2">
          <Field label="First name" error={errors.firstName?.message}>
            <Input autoComplete="given-name" autoFocus {...form.register("firstName")} />
          </Field>
          <Field label="Last name" optional error={errors.lastName?.message}>
            <Input autoComplete="family-name" {...form.register("lastName")} />
          </Field>
        </div>
        <Field label="Work e-mail" error={errors.email?.message}>
          <Input type="email" autoComplete="email" {...form.register("email")} />
        </Field>
        <Field label="Password" hint="At least 8 characters." error={errors.password?.message}>
          <Input type="password" autoComplete="new-password" {...form.register("password")} />
        </Field>

        <Button type="submit" size="lg" loading={isSubmitting} className="mt-1 w-full">
          Create account
        </Button>
      </form>
    </AuthLayout>
  );
}
