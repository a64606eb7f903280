import { describe, expect, it } from "vitest";
import { screen, waitFor, within } from "@testing-library/react";
import { apiError, fakeApi } from "@/test/fake-api";
import { logPage, logRow, series, stats } from "@/test/fixtures";
import { location, renderPage } from "@/test/render";
import { OverviewPage } from "./OverviewPage";

const empty = { totalWebhooksSent: 0, totalWebhooksFailed: 0, totalWebhooksQueued: 0,
  successRate: 0 };

describe("OverviewPage", () => {
  it("shows counts, success rate, the window's totals and recent failures", async () => {
    fakeApi({
      "GET /api/dashboard/stats": stats,
      "GET /api/dashboard/timeseries": series(),
      "GET /api/webhook-logs": logPage([logRow({ id: "f1", status: "failed", statusCode: 500,
        endpoint: "https://broken.example.com/hook" })]),
    });
    renderPage(<OverviewPage />);

    expect(await screen.findByText("98.46%")).toBeInTheDocument();
    expect(screen.getByText(/of 1,300 finished deliveries/)).toBeInTheDocument();
    expect(screen.getByText("1,280")).toBeInTheDocument();
    expect(screen.getByText("4 waiting to retry")).toBeInTheDocument();
    expect(await screen.findByText("39 attempts in the last 24 hours: 33 delivered, 3 retried, " +
      "3 failed")).toBeInTheDocument();
    expect(screen.getByText(/Worst p95 92 ms/)).toBeInTheDocument();

    const failures = screen.getByText("Recent failures").closest("div.rounded-lg")!;
    expect(within(failures as HTMLElement).getByText("https://broken.example.com/hook"))
      .toBeInTheDocument();
  });

  it("keeps the window in the URL and asks for it", async () => {
    const api = fakeApi({
      "GET /api/dashboard/stats": stats,
      "GET /api/dashboard/timeseries": (c) => ({ body: series(c.query.get("window") ?? "") }),
      "GET /api/webhook-logs": logPage([]),
    });
    const r = renderPage(<OverviewPage />, { at: "/?window=1h" });

    await screen.findByText(/attempts in the last hour/);
    expect(screen.getByLabelText("Time window")).toHaveValue("1h");

    await r.user.selectOptions(screen.getByLabelText("Time window"), "7d");

    await waitFor(() => expect(location(r)).toBe("/?window=7d"));
    await waitFor(() => expect(api.callsTo("GET /api/dashboard/timeseries")
      .map((c) => c.query.get("window"))).toContain("7d"));
  });

  it("guides a new organisation and says when there's nothing to chart", async () => {
    fakeApi({
      "GET /api/dashboard/stats": empty,
      "GET /api/dashboard/timeseries": { window: "24h", bucketSeconds: 3600, points: [] },
      "GET /api/webhook-logs": logPage([]),
    });
    renderPage(<OverviewPage />);

    expect(await screen.findByText("Get started")).toBeInTheDocument();
    expect(screen.getByRole("link", { name: /API keys/ })).toHaveAttribute("href", "/keys");
    expect(await screen.findByText("No delivery attempts in the last 24 hours"))
      .toBeInTheDocument();
    expect(screen.queryByText("Recent failures")).not.toBeInTheDocument();
  });

  it("says so when nothing has failed", async () => {
    fakeApi({
      "GET /api/dashboard/stats": { ...stats, totalWebhooksFailed: 0, successRate: 100 },
      "GET /api/dashboard/timeseries": series(),
      "GET /api/webhook-logs": logPage([]),
    });
    renderPage(<OverviewPage />);

    expect(await screen.findByText("No failed webhooks")).toBeInTheDocument();
    expect(screen.getByText("100%")).toBeInTheDocument();
  });

  it("explains a failed load and retries", async () => {
    const api = fakeApi({
      "GET /api/dashboard/stats": apiError(503, "The database is not answering."),
      "GET /api/dashboard/timeseries": series(),
      "GET /api/webhook-logs": logPage([]),
    });
    const { user } = renderPage(<OverviewPage />);

    expect(await screen.findByText("The database is not answering.")).toBeInTheDocument();
    api.set("GET /api/dashboard/stats", stats);
    await user.click(screen.getAllByRole("button", { name: /Try again/ })[0]!);
    expect(await screen.findByText("98.46%")).toBeInTheDocument();
  });
});
