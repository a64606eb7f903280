import { z } from "zod";

export const isoTime = z.string().refine((s) => !Number.isNaN(Date.parse(s)), {
  message: "expected an RFC 3339 time",
});

export const tokenSchema = z.object({ token: z.string().min(1), expiresAt: isoTime });

export const userSchema = z.object({
  id: z.string(),
  email: z.string(),
  firstName: z.string(),
  lastName: z.string().nullish().transform((v) => v ?? ""),
});
export type User = z.infer<typeof userSchema>;

export const registeredSchema = z.object({
  id: z.string(),
  email: z.string(),
  firstName: z.string(),
});

const emailField = z.string().trim().min(1, "Enter your e-mail address")
  .email("Enter a valid e-mail address");

export const loginForm = z.object({
  email: emailField,
  password: z.string().min(1, "Enter your password"),
});
export type LoginForm = z.infer<typeof loginForm>;

export const registerForm = z.object({
  firstName: z.string().trim().min(1, "Enter your first name").max(100, "At most 100 characters"),
  lastName: z.string().trim().max(100, "At most 100 characters"),
  email: emailField,
  password: z.string().min(8, "Use at least 8 characters").max(72, "At most 72 characters"),
});
export type RegisterForm = z.infer<typeof registerForm>;
