import { z } from "zod";

export const METHODS = ["POST", "PUT", "PATCH", "DELETE"] as const;

export const sentSchema = z.object({ messageId: z.string().min(1), status: z.string() });

function isJSON(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

function isHttpURL(text: string): boolean {
  try {
    const u = new URL(text);
    return u.protocol === "http:" || u.protocol === "https:";
  } catch {
    return false;
  }
}

export const sendForm = z.object({
  apiKey: z.string().trim().min(1, "Paste an API key of this organisation"),
  url: z.string().trim().min(1, "Enter the receiver's URL")
    .refine(isHttpURL, "Enter a full http:// or https:// URL"),
  method: z.enum(METHODS),
  eventType: z.string().trim().max(200, "At most 200 characters"),
  payload: z.string().trim().min(1, "Enter a JSON payload")
    .refine(isJSON, "This isn't valid JSON"),
});
export type SendForm = z.infer<typeof sendForm>;
