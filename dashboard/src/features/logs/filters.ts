import { useCallback, useMemo } from "react";
import { useSearchParams } from "react-router";
import { STATES, type LogQuery } from "./schema";

/** Time ranges the log offers; "custom" uses the from and to parameters. */
export const RANGES = [
  { value: "", label: "All time" },
  { value: "1h", label: "Last hour" },
  { value: "24h", label: "Last 24 hours" },
  { value: "7d", label: "Last 7 days" },
  { value: "30d", label: "Last 30 days" },
  { value: "custom", label: "Custom range" },
] as const;

const rangeMs: Record<string, number> = {
  "1h": 3_600_000, "24h": 86_400_000, "7d": 7 * 86_400_000, "30d": 30 * 86_400_000,
};

export const PAGE_SIZES = [20, 50, 100] as const;

/** LogFilters is the log page's state as kept in its URL. */
export interface LogFilters {
  status: string;
  search: string;
  range: string;
  from: string;
  to: string;
  page: number;
  limit: number;
}

function positive(v: string | null, fallback: number): number {
  const n = Number(v);
  return Number.isInteger(n) && n > 0 ? n : fallback;
}

export function readFilters(params: URLSearchParams): LogFilters {
  const status = params.get("status") ?? "";
  const limit = positive(params.get("limit"), 20);

  return {
    status: (STATES as readonly string[]).includes(status) ? status : "",
    search: params.get("search") ?? "",
    range: params.get("range") ?? "",
    from: params.get("from") ?? "",
    to: params.get("to") ?? "",
    page: positive(params.get("page"), 1),
    limit: Math.min(limit, 100),
  };
}

/** toQuery turns the URL state into API parameters, resolving relative ranges now. */
export function toQuery(f: LogFilters, now = Date.now()): LogQuery {
  const q: LogQuery = { page: f.page, limit: f.limit };
  if (f.status) q.status = f.status;
  if (f.search) q.search = f.search;

  const span = rangeMs[f.range];
  if (span) {
    q.from = new Date(now - span).toISOString();
  } else if (f.range === "custom") {
    if (f.from && !Number.isNaN(Date.parse(f.from))) q.from = new Date(f.from).toISOString();
    if (f.to && !Number.isNaN(Date.parse(f.to))) q.to = new Date(f.to).toISOString();
  }

  return q;
}

export function hasFilters(f: LogFilters): boolean {
  return Boolean(f.status || f.search || f.range);
}

/**
 * useLogFilters reads the filters from the URL and writes changes back,
 * going back to page 1 whenever anything but the page changes.
 */
export function useLogFilters() {
  const [params, setParams] = useSearchParams();
  const filters = useMemo(() => readFilters(params), [params]);

  const update = useCallback((patch: Partial<LogFilters>) => {
    setParams((prev) => {
      const next = new URLSearchParams(prev);
      for (const [k, v] of Object.entries(patch)) {
        if (v === "" || v === undefined || (k === "page" && v === 1) ||
          (k === "limit" && v === 20)) next.delete(k);
        else next.set(k, String(v));
      }

      if (!("page" in patch)) next.delete("page");
      if ("range" in patch && patch.range !== "custom") {
        next.delete("from");
        next.delete("to");
      }

      return next;
    }, { replace: !("page" in patch) });
  }, [setParams]);

  const clear = useCallback(() => setParams(new URLSearchParams()), [setParams]);

  return { filters, update, clear };
}
