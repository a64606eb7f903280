/** Sample API answers shared by the component tests. */

export const minutesAgo = (m: number) => new Date(Date.now() - m * 60_000).toISOString();

export function logRow(over: Record<string, unknown> = {}) {
  return {
    id: "m1", endpoint: "https://hooks.example.com/orders", status: "success", statusCode: 200,
    eventType: "order.created", method: "POST", attemptCount: 1, attemptedAt: minutesAgo(3),
    responseTimeMs: 84, createdAt: minutesAgo(3), ...over,
  };
}

export function logPage(rows: unknown[], over: Record<string, unknown> = {}) {
  return { data: rows, total: rows.length, page: 1, limit: 20, totalPages: 1, ...over };
}

export function attempt(n: number, over: Record<string, unknown> = {}) {
  return {
    id: `a${n}`, attemptNumber: n, statusCode: 500, responseBody: '{"error":"boom"}',
    responseTruncated: false, errorClass: "http_status", errorMessage: "receiver answered 500",
    durationMs: 120 + n, attemptedAt: minutesAgo(10 - n), ...over,
  };
}

export function detail(over: Record<string, unknown> = {}) {
  return {
    id: "m1", method: "POST", url: "https://hooks.example.com/orders", status: "success",
    payload: { order: 1042 }, eventType: "order.created", attemptCount: 1,
    createdAt: minutesAgo(10), updatedAt: minutesAgo(9), nextRetryAt: null,
    deliveryAttempts: [attempt(1, { statusCode: 200, errorClass: "", errorMessage: "",
      responseBody: "ok" })],
    ...over,
  };
}

export const stats = {
  totalWebhooksSent: 1280, totalWebhooksFailed: 20, totalWebhooksQueued: 7, successRate: 98.46,
  byState: { pending: 2, delivering: 1, retry: 4, success: 1280, failed: 20 },
};

export function series(window = "24h") {
  const start = Date.now() - 3 * 3_600_000;
  return {
    window, bucketSeconds: 3600,
    points: [0, 1, 2].map((i) => ({
      time: new Date(start + i * 3_600_000).toISOString(), success: 10 + i, failed: i,
      retried: 1, p50Ms: 40, p95Ms: 90 + i, p99Ms: 150,
    })),
  };
}
