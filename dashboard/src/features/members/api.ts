/** Members of the organisation and the invitations to join it. */
import { z } from "zod";
import { request } from "@/lib/http";
import { messageSchema } from "@/features/orgs/schema";
import {
  acceptedSchema, invitationSchema, memberSchema, pendingInvitationSchema, respondedSchema,
  type InviteForm,
} from "./schema";

export const memberKeys = {
  list: (orgId: string) => ["org", orgId, "members"] as const,
};

export const invitationKeys = {
  list: (orgId: string) => ["org", orgId, "invitations"] as const,
  pending: ["invitations", "pending"] as const,
};

export function listMembers(orgId: string) {
  return request("GET", "/api/members", { schema: z.array(memberSchema), orgId });
}

export function listInvitations(orgId: string) {
  return request("GET", "/api/invitations/", { schema: z.array(invitationSchema), orgId });
}

export function createInvitation(orgId: string, body: InviteForm) {
  return request("POST", "/api/invitations/", { schema: invitationSchema, orgId, body });
}

export function cancelInvitation(orgId: string, id: string) {
  return request("DELETE", `/api/invitations/${encodeURIComponent(id)}`,
    { schema: messageSchema, orgId });
}

/** listPendingInvitations lists invitations sent to the signed-in user. */
export function listPendingInvitations() {
  return request("GET", "/api/invitations/pending", { schema: z.array(pendingInvitationSchema) });
}

export function acceptInvitation(token: string) {
  return request("POST", "/api/invitations/accept", { schema: acceptedSchema, body: { token } });
}

export function respondToInvitation(id: string, action: "accept" | "decline") {
  return request("POST", `/api/invitations/${encodeURIComponent(id)}/respond`,
    { schema: respondedSchema, body: { action } });
}
