import { describe, expect, it } from "vitest";
import { screen, waitFor, within } from "@testing-library/react";
import { apiError, fakeApi, reply } from "@/test/fake-api";
import { attempt, detail } from "@/test/fixtures";
import { renderPage } from "@/test/render";
import { LogDetailPage } from "./LogDetailPage";

const failed = detail({
  status: "failed", attemptCount: 2, failureReason: "attempts exhausted",
  payload: { n: 1 },
  deliveryAttempts: [
    attempt(1, { statusCode: null, errorClass: "refused", errorMessage: "connection refused",
      responseBody: "" }),
    attempt(2, { statusCode: 500, responseTruncated: true }),
  ],
});

describe("LogDetailPage", () => {
  it("shows every attempt with status, error class, message and duration", async () => {
    fakeApi({ "GET /api/webhook-logs/m1": failed });
    const { user } = renderPage(<LogDetailPage />, { at: "/logs/m1", path: "/logs/:id" });

    const list = await screen.findByRole("list", { name: "Delivery attempts" });
    const items = within(list).getAllByTestId("attempt");
    expect(items.map((i) => i.dataset.attempt)).toEqual(["2", "1"]);

    expect(within(items[1]!).getByText("refused")).toBeInTheDocument();
    expect(within(items[1]!).getByText("Connection refused")).toBeInTheDocument();
    expect(within(items[1]!).getByText("No response")).toBeInTheDocument();
    expect(within(items[1]!).getByText("121 ms")).toBeInTheDocument();
    expect(within(items[0]!).getByText("Internal Server Error")).toBeInTheDocument();

    await user.click(within(items[0]!).getByRole("button", { name: /Show response body/ }));
    expect(within(items[0]!).getByLabelText("Response body of attempt 2"))
      .toHaveTextContent('"error": "boom"');
    expect(within(items[0]!).getByText(/first 64 KiB/)).toBeInTheDocument();

    expect(screen.getByText("Attempts exhausted.")).toBeInTheDocument();
  });

  it("shows the payload exactly as sent", async () => {
    const text = JSON.stringify(detail()).replace('{"order":1042}',
      '{"id":12345678901234567890123,"dup":1,"dup":2}');
    fakeApi({ "GET /api/webhook-logs/m1": () => ({ text }) });
    const { user } = renderPage(<LogDetailPage />, { at: "/logs/m1", path: "/logs/:id" });

    expect(await screen.findByLabelText("payload"))
      .toHaveTextContent('"id": 12345678901234567890123, "dup": 1, "dup": 2');
    await user.click(screen.getByRole("tab", { name: "Raw" }));
    expect(screen.getByLabelText("raw payload"))
      .toHaveTextContent('{"id":12345678901234567890123,"dup":1,"dup":2}');
  });

  it("retries a failed message and reloads it", async () => {
    const api = fakeApi({
      "GET /api/webhook-logs/m1": failed,
      "POST /api/webhook-logs/m1/retry": reply(202, { id: "m1", status: "pending" }),
    });
    const { user } = renderPage(<LogDetailPage />, { at: "/logs/m1", path: "/logs/:id" });

    await user.click(await screen.findByRole("button", { name: "Retry now" }));

    expect(await screen.findByText("Retry queued")).toBeInTheDocument();
    expect(api.callsTo("POST /api/webhook-logs/m1/retry")).toHaveLength(1);
    await waitFor(() => expect(api.callsTo("GET /api/webhook-logs/m1").length).toBe(2));
  });

  it("offers no retry for a message that is not failed", async () => {
    fakeApi({ "GET /api/webhook-logs/m1": detail() });
    renderPage(<LogDetailPage />, { at: "/logs/m1", path: "/logs/:id" });

    await screen.findByRole("list", { name: "Delivery attempts" });
    expect(screen.queryByRole("button", { name: "Retry now" })).not.toBeInTheDocument();
  });

  it("shows the API's reason when a retry is refused", async () => {
    fakeApi({
      "GET /api/webhook-logs/m1": failed,
      "POST /api/webhook-logs/m1/retry": apiError(409, "Only failed webhooks can be retried."),
    });
    const { user } = renderPage(<LogDetailPage />, { at: "/logs/m1", path: "/logs/:id" });

    await user.click(await screen.findByRole("button", { name: "Retry now" }));
    expect(await screen.findByText("Only failed webhooks can be retried.")).toBeInTheDocument();
  });

  it("says when the message does not exist", async () => {
    fakeApi({ "GET /api/webhook-logs/m1": apiError(404, "message not found") });
    renderPage(<LogDetailPage />, { at: "/logs/m1", path: "/logs/:id" });

    expect(await screen.findByText("Webhook not found")).toBeInTheDocument();
  });

  it("shows when the next attempt is due", async () => {
    fakeApi({
      "GET /api/webhook-logs/m1": detail({ status: "retry",
        nextRetryAt: new Date(Date.now() + 4 * 60_000).toISOString(),
        deliveryAttempts: [attempt(1)] }),
    });
    renderPage(<LogDetailPage />, { at: "/logs/m1", path: "/logs/:id" });

    const list = await screen.findByRole("list", { name: "Delivery attempts" });
    expect(within(list).getByText("Next attempt")).toBeInTheDocument();
    expect(screen.getAllByText("in 4 minutes").length).toBeGreaterThan(0);
  });
});
