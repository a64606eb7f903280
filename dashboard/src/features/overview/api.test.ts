import { describe, expect, it } from "vitest";
import { fakeApi } from "@/test/fake-api";
import { getStats, getTimeseries } from "./api";

describe("overview api", () => {
  it("asks for the chosen window and accepts null percentiles", async () => {
    const api = fakeApi({
      "GET /api/dashboard/timeseries": {
        window: "1h", bucketSeconds: 60,
        points: [{ time: "2025-01-02T10:00:00Z", success: 3, failed: 0, retried: 1,
          p50Ms: 40, p95Ms: 90, p99Ms: 120 },
        { time: "2025-01-02T10:01:00Z", success: 0, failed: 0, retried: 0,
          p50Ms: null, p95Ms: null, p99Ms: null }],
      },
    });

    const ts = await getTimeseries("org-1", "1h");

    expect(api.calls[0]?.query.get("window")).toBe("1h");
    expect(ts.points[1]?.p95Ms).toBeNull();
  });

  it("refuses a negative count", async () => {
    fakeApi({
      "GET /api/dashboard/stats": {
        totalWebhooksSent: -1, totalWebhooksFailed: 0, totalWebhooksQueued: 0, successRate: 0,
      },
    });

    await expect(getStats("org-1")).rejects.toThrow(/totalWebhooksSent/);
  });
});
