/** API keys: the tenant backend's credentials for POST /webhook/send. */
import { z } from "zod";
import { request } from "@/lib/http";
import { apiKeySchema, createdKeySchema } from "./schema";

export const keyKeys = {
  list: (orgId: string) => ["org", orgId, "api-keys"] as const,
};

export function listKeys(orgId: string) {
  return request("GET", "/api/api-key/list", { schema: z.array(apiKeySchema), orgId });
}

export function createKey(orgId: string, body: { name?: string; expiresAt?: string }) {
  return request("POST", "/api/api-key/create", { schema: createdKeySchema, orgId, body });
}

export function revokeKey(orgId: string, id: string) {
  return request("DELETE", `/api/api-key/${encodeURIComponent(id)}`,
    { schema: z.undefined(), orgId });
}
