import { describe, expect, it } from "vitest";
import { screen, waitFor, within } from "@testing-library/react";
import { defaultOrg, fakeApi, reply } from "@/test/fake-api";
import { minutesAgo } from "@/test/fixtures";
import { renderPage } from "@/test/render";
import { KeysPage } from "./KeysPage";

const keys = [
  { id: "k1", name: "Production", prefix: "chis_pr0d", createdAt: minutesAgo(600),
    lastUsedAt: minutesAgo(2), expiresAt: null },
  { id: "k2", name: "Staging", prefix: "chis_st4g", createdAt: minutesAgo(60),
    lastUsedAt: null, expiresAt: minutesAgo(5) },
];

describe("KeysPage", () => {
  it("lists keys with prefix, last use and expiry", async () => {
    fakeApi({ "GET /api/api-key/list": keys });
    renderPage(<KeysPage />, { at: "/keys", path: "/keys" });

    const rows = within(await screen.findByRole("table")).getAllByRole("row").slice(1);
    expect(within(rows[0]!).getByText("chis_pr0d…")).toBeInTheDocument();
    expect(within(rows[0]!).getByText("2 minutes ago")).toBeInTheDocument();
    expect(within(rows[0]!).getAllByText("Never")).toHaveLength(1);
    expect(within(rows[1]!).getByText("Never")).toBeInTheDocument();
    expect(within(rows[1]!).getByText("Expired")).toBeInTheDocument();
  });

  it("creates a key and shows it once, with copy", async () => {
    const api = fakeApi({
      "GET /api/api-key/list": [],
      "POST /api/api-key/create": reply(201, { id: "k3", name: "CI", prefix: "chis_c1",
        key: "chis_c1_the_whole_secret", createdAt: minutesAgo(0), expiresAt: null }),
    });
    const { user } = renderPage(<KeysPage />, { at: "/keys", path: "/keys" });

    expect(await screen.findByText("No API keys yet")).toBeInTheDocument();
    await user.click(screen.getByRole("button", { name: "Create API key" }));
    const dialog = await screen.findByRole("dialog");
    await user.type(within(dialog).getByLabelText(/Name/), "CI");
    await user.selectOptions(within(dialog).getByLabelText("Expires"), "90");
    await user.click(within(dialog).getByRole("button", { name: "Create key" }));

    expect(await within(dialog).findByLabelText("API key")).toHaveValue("chis_c1_the_whole_secret");
    expect(within(dialog).getByText(/You won't see it again/)).toBeInTheDocument();
    expect(within(dialog).getByRole("button", { name: "Copy key" })).toBeInTheDocument();

    const sent = api.callsTo("POST /api/api-key/create")[0]!.json() as Record<string, string>;
    expect(sent.name).toBe("CI");
    const days = (Date.parse(sent.expiresAt!) - Date.now()) / 86_400_000;
    expect(days).toBeGreaterThan(89.9);
    expect(days).toBeLessThan(90.1);

    await user.click(within(dialog).getByRole("button", { name: "I've copied it" }));
    await waitFor(() => expect(screen.queryByRole("dialog")).not.toBeInTheDocument());
    expect(screen.queryByDisplayValue("chis_c1_the_whole_secret")).not.toBeInTheDocument();
  });

  it("wants a future date for a custom expiry", async () => {
    const api = fakeApi({ "GET /api/api-key/list": [] });
    const { user } = renderPage(<KeysPage />, { at: "/keys", path: "/keys" });

    await user.click(await screen.findByRole("button", { name: "Create API key" }));
    const dialog = await screen.findByRole("dialog");
    await user.selectOptions(within(dialog).getByLabelText("Expires"), "custom");
    await user.click(within(dialog).getByRole("button", { name: "Create key" }));

    expect(await within(dialog).findByText("Pick a date")).toBeInTheDocument();
    expect(api.callsTo("POST /api/api-key/create")).toHaveLength(0);
  });

  it("revokes a key only after confirmation", async () => {
    const api = fakeApi({
      "GET /api/api-key/list": keys,
      "DELETE /api/api-key/k2": reply(204),
    });
    const { user } = renderPage(<KeysPage />, { at: "/keys", path: "/keys" });

    await user.click(await screen.findByRole("button", { name: "Revoke Staging" }));
    const confirm = await screen.findByRole("alertdialog");
    expect(within(confirm).getByText(/chis_st4g/)).toBeInTheDocument();
    await user.click(within(confirm).getByRole("button", { name: "Cancel" }));
    expect(api.callsTo("DELETE /api/api-key/k2")).toHaveLength(0);

    await user.click(screen.getByRole("button", { name: "Revoke Staging" }));
    await user.click(within(await screen.findByRole("alertdialog"))
      .getByRole("button", { name: "Revoke key" }));

    expect(await screen.findByText("API key revoked")).toBeInTheDocument();
    expect(api.callsTo("DELETE /api/api-key/k2")).toHaveLength(1);
  });

  it("explains to members that only admins manage keys", async () => {
    const api = fakeApi({ "GET /api/orgs": [{ ...defaultOrg, role: "member" }] });
    renderPage(<KeysPage />, { at: "/keys", path: "/keys" });

    expect(await screen.findByText("Admins only")).toBeInTheDocument();
    expect(screen.queryByRole("button", { name: "Create API key" })).not.toBeInTheDocument();
    expect(api.callsTo("GET /api/api-key/list")).toHaveLength(0);
  });
});
