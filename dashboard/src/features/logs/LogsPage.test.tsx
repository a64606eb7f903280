import { describe, expect, it } from "vitest";
import { screen, waitFor, within } from "@testing-library/react";
import { fakeApi } from "@/test/fake-api";
import { logPage, logRow } from "@/test/fixtures";
import { location, renderPage } from "@/test/render";
import { LogsPage } from "./LogsPage";

const rows = [
  logRow(),
  logRow({ id: "m2", status: "failed", statusCode: 503, endpoint: "https://down.example.com/x",
    attemptCount: 5, eventType: "" }),
  logRow({ id: "m3", status: "retry", statusCode: null, responseTimeMs: null,
    endpoint: "https://slow.example.com/y", attemptCount: 2 }),
];

describe("LogsPage", () => {
  it("lists webhooks with state, endpoint, response and attempts", async () => {
    fakeApi({ "GET /api/webhook-logs": logPage(rows, { total: 3 }) });
    renderPage(<LogsPage />, { at: "/logs", path: "/logs" });

    const table = await screen.findByRole("table");
    const body = within(table).getAllByRole("row").slice(1);
    expect(body).toHaveLength(3);
    expect(within(body[0]!).getByText("Delivered")).toBeInTheDocument();
    expect(within(body[0]!).getByText("84 ms")).toBeInTheDocument();
    expect(within(body[1]!).getByText("Failed")).toBeInTheDocument();
    expect(within(body[1]!).getByText("503")).toBeInTheDocument();
    expect(within(body[2]!).getByText("Retrying")).toBeInTheDocument();
    expect(within(body[1]!).getByRole("link", { name: "https://down.example.com/x" }))
      .toHaveAttribute("href", "/logs/m2");
    expect(screen.getByText(/Showing/)).toHaveTextContent("Showing 1–3 of 3");
  });

  it("keeps filters in the URL and sends them to the API", async () => {
    const api = fakeApi({ "GET /api/webhook-logs": logPage(rows) });
    const r = renderPage(<LogsPage />, { at: "/logs?page=2", path: "/logs" });
    await screen.findByRole("table");

    await r.user.selectOptions(screen.getByLabelText("State"), "failed");
    await waitFor(() => expect(location(r)).toBe("/logs?status=failed"));

    await r.user.type(screen.getByLabelText("Search by URL"), "down");
    await waitFor(() => expect(location(r)).toBe("/logs?status=failed&search=down"));

    await r.user.selectOptions(screen.getByLabelText("Time range"), "1h");
    await waitFor(() => expect(location(r)).toBe("/logs?status=failed&search=down&range=1h"));

    await waitFor(() => {
      const q = api.calls.at(-1)!.query;
      expect(q.get("status")).toBe("failed");
      expect(q.get("search")).toBe("down");
      expect(Date.now() - Date.parse(q.get("from")!)).toBeGreaterThan(3_590_000);
      expect(q.get("page")).toBe("1");
    });
  });

  it("offers every state as a filter", async () => {
    fakeApi({ "GET /api/webhook-logs": logPage([]) });
    renderPage(<LogsPage />, { at: "/logs", path: "/logs" });

    const options = within(await screen.findByLabelText("State")).getAllByRole("option")
      .map((o) => (o as HTMLOptionElement).value);
    expect(options).toEqual(["", "pending", "delivering", "retry", "success", "failed"]);
  });

  it("pages forward through the URL", async () => {
    const api = fakeApi({
      "GET /api/webhook-logs": (c) => ({
        body: logPage([logRow({ id: `p${c.query.get("page")}` })],
          { total: 45, page: Number(c.query.get("page")), totalPages: 3 }),
      }),
    });
    const r = renderPage(<LogsPage />, { at: "/logs?status=success", path: "/logs" });
    await screen.findByText("Page 1 of 3");

    await r.user.click(screen.getByRole("button", { name: "Next page" }));

    await waitFor(() => expect(location(r)).toBe("/logs?status=success&page=2"));
    expect(await screen.findByText("Page 2 of 3")).toBeInTheDocument();
    expect(screen.getByText(/Showing/)).toHaveTextContent("Showing 21–40 of 45");
    expect(api.calls.at(-1)!.query.get("page")).toBe("2");
  });

  it("tells apart an empty log from filters that match nothing", async () => {
    fakeApi({ "GET /api/webhook-logs": logPage([]) });
    const first = renderPage(<LogsPage />, { at: "/logs", path: "/logs" });
    expect(await screen.findByText("No webhooks yet")).toBeInTheDocument();
    first.unmount();

    const r = renderPage(<LogsPage />, { at: "/logs?status=failed", path: "/logs" });
    expect(await screen.findByText("No webhooks match")).toBeInTheDocument();
    await r.user.click(screen.getByRole("button", { name: "Clear filters" }));
    await waitFor(() => expect(location(r)).toBe("/logs"));
  });

  it("opens a webhook when its row is clicked", async () => {
    fakeApi({ "GET /api/webhook-logs": logPage(rows) });
    const r = renderPage(<LogsPage />, { at: "/logs", path: "/logs" });

    const table = await screen.findByRole("table");
    await r.user.click(within(table).getByText("Retrying"));
    expect(location(r)).toBe("/logs/m3");
  });
});
