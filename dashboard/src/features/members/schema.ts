import { z } from "zod";
import { isoTime } from "@/features/auth/schema";

export const memberSchema = z.object({
  userId: z.string(),
  email: z.string(),
  firstName: z.string(),
  lastName: z.string().nullish().transform((v) => v ?? ""),
  role: z.string(),
  joinedAt: isoTime,
});
export type Member = z.infer<typeof memberSchema>;

export const invitationSchema = z.object({
  id: z.string(),
  email: z.string(),
  role: z.string(),
  status: z.string(),
  expiresAt: isoTime,
  createdAt: isoTime,
  inviteUrl: z.string().optional(),
});
export type Invitation = z.infer<typeof invitationSchema>;

export const pendingInvitationSchema = z.object({
  id: z.string(),
  orgName: z.string(),
  orgSlug: z.string(),
  role: z.string(),
  expiresAt: isoTime,
});
export type PendingInvitation = z.infer<typeof pendingInvitationSchema>;

export const acceptedSchema = z.object({
  message: z.string(),
  orgId: z.string(),
  orgName: z.string(),
  orgSlug: z.string(),
  role: z.string(),
});

/** respond answers like accept when accepting, or just {message} on decline. */
export const respondedSchema = z.object({
  message: z.string(),
  orgId: z.string().optional(),
  orgName: z.string().optional(),
});

export const inviteForm = z.object({
  email: z.string().trim().min(1, "Enter an e-mail address").email("Enter a valid e-mail address"),
  role: z.enum(["member", "admin"]),
});
export type InviteForm = z.infer<typeof inviteForm>;
