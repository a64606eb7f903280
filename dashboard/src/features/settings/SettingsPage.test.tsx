import { describe, expect, it } from "vitest";
import { screen, waitFor, within } from "@testing-library/react";
import { apiError, defaultOrg, fakeApi } from "@/test/fake-api";
import { location, renderPage } from "@/test/render";
import { session } from "@/lib/session";
import { SettingsPage } from "./SettingsPage";

describe("SettingsPage", () => {
  it("reveals the secret only when asked", async () => {
    const api = fakeApi({ "GET /api/org/signing-secret": { signingSecret: "whsec_abc123" } });
    const { user } = renderPage(<SettingsPage />, { at: "/settings", path: "/settings" });

    const box = await screen.findByTestId("signing-secret");
    expect(box).not.toHaveTextContent("whsec_abc123");
    expect(api.callsTo("GET /api/org/signing-secret")).toHaveLength(0);

    await user.click(screen.getByRole("button", { name: "Reveal" }));
    await waitFor(() => expect(box).toHaveTextContent("whsec_abc123"));
    expect(screen.getByRole("button", { name: "Copy" })).toBeInTheDocument();

    await user.click(screen.getByRole("button", { name: "Hide" }));
    expect(box).not.toHaveTextContent("whsec_abc123");
  });

  it("rotates the secret after confirmation and shows the new one", async () => {
    const api = fakeApi({
      "GET /api/org/signing-secret": { signingSecret: "whsec_old" },
      "POST /api/org/signing-secret/rotate": { signingSecret: "whsec_new" },
    });
    const { user } = renderPage(<SettingsPage />, { at: "/settings", path: "/settings" });

    await user.click(await screen.findByRole("button", { name: "Rotate secret" }));
    const confirm = await screen.findByRole("alertdialog");
    expect(within(confirm).getByText(/Receivers still checking against the old one/))
      .toBeInTheDocument();
    await user.click(within(confirm).getByRole("button", { name: "Rotate secret" }));

    await waitFor(() => expect(screen.getByTestId("signing-secret"))
      .toHaveTextContent("whsec_new"));
    expect(api.callsTo("POST /api/org/signing-secret/rotate")).toHaveLength(1);
    expect(screen.getByText("Signing secret rotated")).toBeInTheDocument();
  });

  it("deletes the organisation only when its name is typed", async () => {
    const api = fakeApi({ "DELETE /api/org": { message: "deleted" } });
    const r = renderPage(<SettingsPage />, { at: "/settings", path: "/settings" });

    await r.user.click(await screen.findByRole("button", { name: "Delete organisation" }));
    const dialog = await screen.findByRole("dialog");
    const submit = within(dialog).getByRole("button", { name: "Delete for everyone" });
    const input = within(dialog).getByLabelText(/to confirm/);

    await r.user.type(input, "Acme");
    expect(submit).toBeDisabled();
    await r.user.type(input, " Inc");
    expect(submit).toBeEnabled();
    api.set("GET /api/orgs", []);
    await r.user.click(submit);

    await waitFor(() => expect(api.callsTo("DELETE /api/org")).toHaveLength(1));
    expect(api.callsTo("DELETE /api/org")[0]!.json()).toEqual({ name: defaultOrg.name });
    expect(await screen.findByText("Organisation deleted")).toBeInTheDocument();
    await waitFor(() => expect(session.get().orgId).toBeNull());
    expect(location(r)).toBe("/");
  });

  it("shows the API's refusal on the name field", async () => {
    fakeApi({ "DELETE /api/org": apiError(422, "Some fields need attention.",
      [{ field: "name", message: "does not match the organisation's name" }]) });
    const { user } = renderPage(<SettingsPage />, { at: "/settings", path: "/settings" });

    await user.click(await screen.findByRole("button", { name: "Delete organisation" }));
    const dialog = await screen.findByRole("dialog");
    await user.type(within(dialog).getByLabelText(/to confirm/), "Acme Inc");
    await user.click(within(dialog).getByRole("button", { name: "Delete for everyone" }));

    expect(await within(dialog).findByText("Does not match the organisation's name"))
      .toBeInTheDocument();
  });
});
