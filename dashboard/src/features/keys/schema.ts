import { z } from "zod";
import { isoTime } from "@/features/auth/schema";

export const apiKeySchema = z.object({
  id: z.string(),
  name: z.string(),
  prefix: z.string(),
  createdAt: isoTime,
  lastUsedAt: isoTime.nullish().transform((v) => v ?? null),
  expiresAt: isoTime.nullish().transform((v) => v ?? null),
});
export type ApiKey = z.infer<typeof apiKeySchema>;

export const createdKeySchema = apiKeySchema.extend({ key: z.string().min(1) });
export type CreatedKey = z.infer<typeof createdKeySchema>;

export const EXPIRIES = [
  { value: "never", label: "Never" },
  { value: "30", label: "In 30 days" },
  { value: "90", label: "In 90 days" },
  { value: "365", label: "In 1 year" },
  { value: "custom", label: "On a date…" },
] as const;

export const createKeyForm = z.object({
  name: z.string().trim().max(100, "At most 100 characters"),
  expiry: z.enum(["never", "30", "90", "365", "custom"]),
  expiresOn: z.string(),
}).superRefine((v, ctx) => {
  if (v.expiry !== "custom") return;
  const t = Date.parse(v.expiresOn);
  if (!v.expiresOn || Number.isNaN(t)) {
    ctx.addIssue({ code: "custom", path: ["expiresOn"], message: "Pick a date" });
  } else if (t <= Date.now()) {
    ctx.addIssue({ code: "custom", path: ["expiresOn"], message: "Pick a date in the future" });
  }
});
export type CreateKeyForm = z.infer<typeof createKeyForm>;

/** expiresAt turns the form's choice into the RFC 3339 time the API wants. */
export function expiresAt(v: CreateKeyForm, now = Date.now()): string | undefined {
  if (v.expiry === "never") return undefined;
  if (v.expiry === "custom") return new Date(`${v.expiresOn}T23:59:59`).toISOString();
  return new Date(now + Number(v.expiry) * 86_400_000).toISOString();
}
