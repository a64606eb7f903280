import { z } from "zod";
import { isoTime } from "@/features/auth/schema";

/** The states a message moves through, in the order they usually happen. */
export const STATES = ["pending", "delivering", "retry", "success", "failed"] as const;
export type State = (typeof STATES)[number];

/** FINAL states never change again on their own. */
export function isFinal(status: string): boolean {
  return status === "success" || status === "failed";
}

const count = z.number().int().nonnegative();

export const logRowSchema = z.object({
  id: z.string(),
  endpoint: z.string(),
  status: z.string(),
  statusCode: z.number().int().nullable(),
  eventType: z.string().nullish().transform((v) => v ?? ""),
  method: z.string(),
  attemptCount: count,
  attemptedAt: isoTime.nullable(),
  responseTimeMs: z.number().nullable(),
  createdAt: isoTime,
});
export type LogRow = z.infer<typeof logRowSchema>;

export const logPageSchema = z.object({
  data: z.array(logRowSchema),
  total: count,
  page: z.number().int().positive(),
  limit: z.number().int().positive(),
  totalPages: count,
});
export type LogPage = z.infer<typeof logPageSchema>;

export const attemptSchema = z.object({
  id: z.string(),
  attemptNumber: z.number().int().positive(),
  statusCode: z.number().int().nullable(),
  responseBody: z.string().nullish().transform((v) => v ?? ""),
  responseTruncated: z.boolean().optional().default(false),
  errorClass: z.string().nullish().transform((v) => v ?? ""),
  errorMessage: z.string().nullish().transform((v) => v ?? ""),
  durationMs: z.number().nonnegative(),
  attemptedAt: isoTime,
});
export type Attempt = z.infer<typeof attemptSchema>;

export const detailSchema = z.object({
  id: z.string(),
  method: z.string(),
  url: z.string(),
  status: z.string(),
  payload: z.unknown(),
  eventType: z.string().nullish().transform((v) => v ?? ""),
  attemptCount: count,
  failureReason: z.string().nullish().transform((v) => v ?? ""),
  createdAt: isoTime,
  updatedAt: isoTime,
  nextRetryAt: isoTime.nullish().transform((v) => v ?? null),
  deliveryAttempts: z.array(attemptSchema),
});
export type Detail = z.infer<typeof detailSchema>;

export const retriedSchema = z.object({ id: z.string(), status: z.string() });

/** LogQuery is what the log page asks the API for, straight from its URL. */
export interface LogQuery {
  status?: string;
  search?: string;
  from?: string;
  to?: string;
  page?: number;
  limit?: number;
}
