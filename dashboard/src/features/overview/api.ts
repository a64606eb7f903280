/** The overview's numbers: counts by state and deliveries over time. */
import { query, request } from "@/lib/http";
import { statsSchema, timeseriesSchema, type Window } from "./schema";

export const overviewKeys = {
  stats: (orgId: string) => ["org", orgId, "stats"] as const,
  timeseries: (orgId: string, window: Window) => ["org", orgId, "timeseries", window] as const,
};

export function getStats(orgId: string) {
  return request("GET", "/api/dashboard/stats", { schema: statsSchema, orgId });
}

export function getTimeseries(orgId: string, window: Window) {
  return request("GET", `/api/dashboard/timeseries${query({ window })}`,
    { schema: timeseriesSchema, orgId });
}
