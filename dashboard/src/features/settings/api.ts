/** The organisation's signing secret, which receivers verify webhooks with. */
import { request } from "@/lib/http";
import { secretSchema } from "./schema";

export const secretKeys = {
  secret: (orgId: string) => ["org", orgId, "signing-secret"] as const,
};

export function getSigningSecret(orgId: string) {
  return request("GET", "/api/org/signing-secret", { schema: secretSchema, orgId });
}

export function rotateSigningSecret(orgId: string) {
  return request("POST", "/api/org/signing-secret/rotate", { schema: secretSchema, orgId });
}
