import { describe, expect, it } from "vitest";
import { screen, waitFor, within } from "@testing-library/react";
import { apiError, fakeApi, reply } from "@/test/fake-api";
import { attempt, detail } from "@/test/fixtures";
import { renderPage } from "@/test/render";
import { PlaygroundPage } from "./PlaygroundPage";

async function fill(user: ReturnType<typeof renderPage>["user"], payload?: string) {
  await user.type(await screen.findByLabelText("API key"), "chis_key_123");
  await user.type(screen.getByLabelText("Receiver URL"), "http://127.0.0.1:9000/hook");
  if (payload !== undefined) {
    await user.clear(screen.getByLabelText("Payload"));
    await user.type(screen.getByLabelText("Payload"), payload);
  }
}

describe("PlaygroundPage", () => {
  it("checks the URL and the JSON before sending", async () => {
    const api = fakeApi({});
    const { user } = renderPage(<PlaygroundPage />, { at: "/playground", path: "/playground" });

    await user.type(await screen.findByLabelText("Receiver URL"), "ftp://files.example.com");
    await user.clear(screen.getByLabelText("Payload"));
    await user.type(screen.getByLabelText("Payload"), "{{not json");
    await user.click(screen.getByRole("button", { name: "Send webhook" }));

    expect(await screen.findByText("This isn't valid JSON")).toBeInTheDocument();
    expect(screen.getByText("Enter a full http:// or https:// URL")).toBeInTheDocument();
    expect(screen.getByText("Paste an API key of this organisation")).toBeInTheDocument();
    expect(api.callsTo("POST /webhook/send")).toHaveLength(0);
  });

  it("sends with the key and follows the state until delivered", async () => {
    const states = [
      detail({ status: "pending", deliveryAttempts: [], nextRetryAt: null }),
      detail({ status: "delivering", deliveryAttempts: [] }),
      detail({ status: "success" }),
    ];
    let polls = 0;
    const api = fakeApi({
      "POST /webhook/send": reply(201, { messageId: "m1", status: "pending" }),
      "GET /api/webhook-logs/m1": () => ({ body: states[Math.min(polls++, 2)] }),
    });
    const { user } = renderPage(<PlaygroundPage />, { at: "/playground", path: "/playground" });

    await fill(user, "[[1,2]");
    await user.click(screen.getByRole("button", { name: "Send webhook" }));

    const seen = await screen.findByTestId("states-seen");
    await waitFor(() => expect(seen).toHaveTextContent(/Pending.*Delivering.*Delivered/),
      { timeout: 5000 });
    expect(within(screen.getByRole("list", { name: "Delivery attempts" }))
      .getByText("Attempt 1")).toBeInTheDocument();

    const send = api.callsTo("POST /webhook/send")[0]!;
    expect(send.headers["x-api-key"]).toBe("chis_key_123");
    expect(send.body).toBe('{"url":"http://127.0.0.1:9000/hook","method":"POST",' +
      '"eventType":"order.created","payload":[1,2]}');
    expect(screen.getByRole("link", { name: /Open in log/ })).toHaveAttribute("href", "/logs/m1");
  });

  it("shows failed attempts while the webhook is retried", async () => {
    fakeApi({
      "POST /webhook/send": reply(201, { messageId: "m1", status: "pending" }),
      "GET /api/webhook-logs/m1": detail({ status: "retry", deliveryAttempts: [attempt(1)],
        nextRetryAt: new Date(Date.now() + 2000).toISOString() }),
    });
    const { user } = renderPage(<PlaygroundPage />, { at: "/playground", path: "/playground" });

    await fill(user);
    await user.click(screen.getByRole("button", { name: "Send webhook" }));

    expect(await screen.findByText("Internal Server Error")).toBeInTheDocument();
    expect(screen.getByTestId("states-seen")).toHaveTextContent("Retrying");
  });

  it("explains a refused key", async () => {
    fakeApi({ "POST /webhook/send": apiError(401, "invalid API key") });
    const { user } = renderPage(<PlaygroundPage />, { at: "/playground", path: "/playground" });

    await fill(user);
    await user.click(screen.getByRole("button", { name: "Send webhook" }));

    expect(await screen.findByText(/That API key was not accepted/)).toBeInTheDocument();
  });

  it("puts the API's validation errors on the fields", async () => {
    fakeApi({ "POST /webhook/send": apiError(422, "Some fields need attention.",
      [{ field: "url", message: "must not point to a private address" }]) });
    const { user } = renderPage(<PlaygroundPage />, { at: "/playground", path: "/playground" });

    await fill(user);
    await user.click(screen.getByRole("button", { name: "Send webhook" }));

    expect(await screen.findByText("Must not point to a private address")).toBeInTheDocument();
  });
});
