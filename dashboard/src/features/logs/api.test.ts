import { describe, expect, it } from "vitest";
import { fakeApi } from "@/test/fake-api";
import { getLog, listLogs, retryLog } from "./api";
import { readFilters, toQuery } from "./filters";

const row = {
  id: "m1", endpoint: "https://hooks.example.com/in", status: "success", statusCode: 200,
  eventType: "order.created", method: "POST", attemptCount: 1,
  attemptedAt: "2025-01-02T10:00:01Z", responseTimeMs: 84, createdAt: "2025-01-02T10:00:00Z",
};

describe("listLogs", () => {
  it("passes every filter as a query parameter and checks the page", async () => {
    const api = fakeApi({
      "GET /api/webhook-logs": { data: [row], total: 41, page: 3, limit: 20, totalPages: 3 },
    });

    const page = await listLogs("org-1", {
      status: "failed", search: "example", from: "2025-01-01T00:00:00.000Z", page: 3, limit: 20,
    });

    expect(page.total).toBe(41);
    expect(page.data[0]?.statusCode).toBe(200);
    const q = api.calls[0]!.query;
    expect(Object.fromEntries(q)).toEqual({
      status: "failed", search: "example", from: "2025-01-01T00:00:00.000Z", page: "3",
      limit: "20",
    });
  });

  it("rejects a row without a creation time", async () => {
    const { createdAt: _, ...broken } = row;
    fakeApi({
      "GET /api/webhook-logs": { data: [broken], total: 1, page: 1, limit: 20, totalPages: 1 },
    });

    await expect(listLogs("org-1", {})).rejects.toThrow(/data\.0\.createdAt/);
  });
});

describe("getLog", () => {
  it("keeps the payload's text exactly as the API sent it", async () => {
    const payload = '{"cents":9007199254740993,"huge":1e400,"dup":1,"dup":2}';
    const body = `{"id":"m1","method":"POST","url":"https://x.test/","status":"failed",
      "payload":${payload},"eventType":"","attemptCount":5,"failureReason":"gave up",
      "createdAt":"2025-01-02T10:00:00Z","updatedAt":"2025-01-02T10:00:15Z","nextRetryAt":null,
      "deliveryAttempts":[{"id":"a1","attemptNumber":1,"statusCode":null,"responseBody":"",
      "responseTruncated":false,"errorClass":"refused","errorMessage":"connection refused",
      "durationMs":3,"attemptedAt":"2025-01-02T10:00:00Z"}]}`;
    fakeApi({ "GET /api/webhook-logs/m1": () => ({ text: body }) });

    const d = await getLog("org-1", "m1");

    expect(d.rawPayload).toBe(payload);
    expect(d.failureReason).toBe("gave up");
    expect(d.deliveryAttempts[0]?.statusCode).toBeNull();
    expect(d.deliveryAttempts[0]?.errorClass).toBe("refused");
  });
});

describe("retryLog", () => {
  it("posts to the message's retry route with the organisation", async () => {
    const api = fakeApi({ "POST /api/webhook-logs/m1/retry": { id: "m1", status: "pending" } });

    await expect(retryLog("org-7", "m1")).resolves.toEqual({ id: "m1", status: "pending" });
    expect(api.calls[0]?.headers["x-org-id"]).toBe("org-7");
  });
});

describe("filters", () => {
  it("reads the URL, ignoring unknown states and bad numbers", () => {
    const f = readFilters(new URLSearchParams("status=nope&page=-2&limit=500&search=a"));
    expect(f).toMatchObject({ status: "", page: 1, limit: 100, search: "a" });
  });

  it("turns a relative range into a from time", () => {
    const now = Date.parse("2025-01-02T12:00:00Z");
    const q = toQuery(readFilters(new URLSearchParams("range=1h&status=retry")), now);
    expect(q).toEqual({ status: "retry", from: "2025-01-02T11:00:00.000Z", page: 1, limit: 20 });
  });
});
