/** Webhook messages: the paged log, one message with its attempts, retry. */
import { query, request, requestRaw } from "@/lib/http";
import { rawField } from "@/lib/rawjson";
import { detailSchema, logPageSchema, retriedSchema, type Detail, type LogQuery } from "./schema";

export const logKeys = {
  all: (orgId: string) => ["org", orgId, "logs"] as const,
  list: (orgId: string, q: object) => ["org", orgId, "logs", "list", q] as const,
  detail: (orgId: string, id: string) => ["org", orgId, "logs", "detail", id] as const,
};

export function listLogs(orgId: string, q: LogQuery, signal?: AbortSignal) {
  const qs = query({
    status: q.status, search: q.search, from: q.from, to: q.to, page: q.page, limit: q.limit,
  });
  return request("GET", `/api/webhook-logs${qs}`, { schema: logPageSchema, orgId, signal });
}

export interface DetailWithRaw extends Detail {
  /** The payload's JSON text exactly as stored, for display without decoding. */
  rawPayload: string;
}

export async function getLog(orgId: string, id: string, signal?: AbortSignal):
  Promise<DetailWithRaw> {
  const { data, text } = await requestRaw("GET", `/api/webhook-logs/${encodeURIComponent(id)}`,
    { schema: detailSchema, orgId, signal });

  let rawPayload: string | undefined;
  try {
    rawPayload = rawField(text, "payload");
  } catch {
    rawPayload = undefined;
  }

  return { ...data, rawPayload: rawPayload ?? JSON.stringify(data.payload) };
}

/** retryLog asks for one more attempt of a failed message, same id. */
export function retryLog(orgId: string, id: string) {
  return request("POST", `/api/webhook-logs/${encodeURIComponent(id)}/retry`,
    { schema: retriedSchema, orgId });
}
