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
import { session, useSession } from "@/lib/session";
import { login } from "./api";
import { AuthLayout } from "./AuthLayout";
import { safeNext } from "./safe-next";
import { loginForm, type LoginForm } from "./schema";

export function LoginPage() {
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const [params] = useSearchParams();
  const { ended } = useSession();
  const [formError, setFormError] = useState<string | null>(null);

  const form = useForm<LoginForm>({
    resolver: zodResolver(loginForm),
    defaultValues: { email: params.get("email") ?? "", password: "" },
  });
  const { errors, isSubmitting } = form.formState;

  const onSubmit = form.handleSubmit(async (values) => {
    setFormError(null);
    try {
      const { token, expiresAt } = await login(values);
      // Nothing cached for a previous user may show through.
      queryClient.clear();
      session.signIn(token, expiresAt);
      navigate(safeNext(params.get("next")), { replace: true });
    } catch (err) {
      setFormError(applyServerError(err, form.setError, ["email", "password"]));
    }
  });

  const registerHref = params.get("next")
    ? `/register?next=${encodeURIComponent(params.get("next")!)}` : "/register";

  return (
    <AuthLayout
      title="Sign in to Chis"
      subtitle="Welcome back. See what your webhooks have been up to."
      footer={<>New to Chis? <Link to={registerHref} className="font-medium text-primary
        hover:underline">Create an account</Link></>}
    >
      <form onSubmit={onSubmit} noValidate className="grid gap-5">
        {ended === "expired" && !formError && (
          <Alert tone="warning" title="Your session has ended">Sign in again to continue.</Alert>
        )}
        {ended === "signed-out" && !formError && (
          <Alert tone="success" title="You've signed out" />
        )}
        {formError && <Alert tone="danger" title="Couldn't sign in">{formError}</Alert>}

        <Field label="E-mail" error={errors.email?.message}>
          <Input type="email" autoComplete="email" autoFocus {...form.register("email")} />
        </Field>
        <Field label="Password" error={errors.password?.message}>
          <Input type="password" autoComplete="current-password" {...form.register("password")} />
        </Field>

        <Button type="submit" size="lg" loading={isSubmitting} className="mt-1 w-full">
          Sign in
        </Button>
      </form>
    </AuthLayout>
  );
}
