/** The tenant's own sending endpoint, called as their backend would. */
import { request } from "@/lib/http";
import { sentSchema, type SendForm } from "./schema";

/**
 * sendBody builds the request body by hand so the payload's JSON text goes
 * out exactly as typed: Chis delivers those bytes, and so should the test.
 */
export function sendBody(f: Omit<SendForm, "apiKey">): string {
  const parts = [`"url":${JSON.stringify(f.url)}`, `"method":${JSON.stringify(f.method)}`];
  if (f.eventType) parts.push(`"eventType":${JSON.stringify(f.eventType)}`);
  parts.push(`"payload":${f.payload}`);
  return `{${parts.join(",")}}`;
}

export function sendWebhook(f: SendForm) {
  return request("POST", "/webhook/send", {
    schema: sentSchema,
    auth: false,
    headers: { "X-API-Key": f.apiKey },
    rawBody: sendBody(f),
  });
}
