/** Organisations the user belongs to: list, create, delete. */
import { request } from "@/lib/http";
import { messageSchema, orgListSchema, orgSchema } from "./schema";

export const orgKeys = {
  list: ["orgs"] as const,
};

export function listOrgs() {
  return request("GET", "/api/orgs", { schema: orgListSchema });
}

export function createOrg(name: string) {
  return request("POST", "/api/orgs", { schema: orgSchema, body: { name } });
}

/** deleteOrg deletes the organisation; the API wants its name typed again. */
export function deleteOrg(orgId: string, name: string) {
  return request("DELETE", "/api/org", { schema: messageSchema, orgId, body: { name } });
}
