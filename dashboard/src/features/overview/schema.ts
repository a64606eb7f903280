import { z } from "zod";
import { isoTime } from "@/features/auth/schema";

const count = z.number().int().nonnegative();

export const statsSchema = z.object({
  totalWebhooksSent: count,
  totalWebhooksFailed: count,
  totalWebhooksQueued: count,
  successRate: z.number().min(0).max(100),
  byState: z.record(z.string(), count).optional(),
});
export type Stats = z.infer<typeof statsSchema>;

export const WINDOWS = [
  { value: "1h", label: "Last hour" },
  { value: "24h", label: "Last 24 hours" },
  { value: "7d", label: "Last 7 days" },
] as const;
export type Window = (typeof WINDOWS)[number]["value"];

const ms = z.number().nonnegative().nullable();

export const pointSchema = z.object({
  time: isoTime,
  success: count,
  failed: count,
  retried: count,
  p50Ms: ms,
  p95Ms: ms,
  p99Ms: ms,
});
export type Point = z.infer<typeof pointSchema>;

export const timeseriesSchema = z.object({
  window: z.string(),
  bucketSeconds: z.number().int().positive(),
  points: z.array(pointSchema),
});
export type Timeseries = z.infer<typeof timeseriesSchema>;
