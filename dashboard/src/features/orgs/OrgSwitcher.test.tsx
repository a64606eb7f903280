import { describe, expect, it } from "vitest";
import { screen, waitFor } from "@testing-library/react";
import { fakeApi, reply } from "@/test/fake-api";
import { stats } from "@/test/fixtures";
import { renderPage } from "@/test/render";
import { session } from "@/lib/session";
import { AppShell } from "@/app/AppShell";

const orgs = [
  { id: "org-1", name: "Acme Inc", slug: "acme", role: "admin" },
  { id: "org-2", name: "Side Project", slug: "side", role: "member" },
];

describe("OrgSwitcher", () => {
  it("switches organisation and sends its id from then on", async () => {
    const api = fakeApi({ "GET /api/orgs": orgs, "GET /api/dashboard/stats": stats });
    const { user } = renderPage(<AppShell />, { at: "/", path: "/" });

    await user.click(await screen.findByRole("button", { name: /Organisation: Acme Inc/ }));
    await user.click(await screen.findByRole("menuitem", { name: /Side Project/ }));

    await waitFor(() => expect(session.get().orgId).toBe("org-2"));
    expect(await screen.findByRole("button", { name: /Organisation: Side Project/ }))
      .toBeInTheDocument();
    expect(screen.getByText("Organisation")).toBeInTheDocument();
    void api;
  });

  it("creates an organisation from the menu and selects it", async () => {
    const api = fakeApi({
      "GET /api/orgs": orgs,
      "POST /api/orgs": reply(201, { id: "org-3", name: "New Co", slug: "new-co", role: "admin" }),
    });
    const { user } = renderPage(<AppShell />, { at: "/", path: "/" });

    await user.click(await screen.findByRole("button", { name: /Organisation: Acme Inc/ }));
    await user.click(await screen.findByRole("menuitem", { name: /Create organisation/ }));
    api.set("GET /api/orgs", [...orgs, { id: "org-3", name: "New Co", slug: "new-co",
      role: "admin" }]);
    await user.type(await screen.findByLabelText("Organisation name"), "New Co");
    await user.click(screen.getByRole("button", { name: "Create organisation" }));

    expect(await screen.findByRole("button", { name: /Organisation: New Co/ }))
      .toBeInTheDocument();
    expect(api.callsTo("POST /api/orgs")[0]!.json()).toEqual({ name: "New Co" });
    expect(session.get().orgId).toBe("org-3");
  });

  it("offers to create one when the user has none", async () => {
    fakeApi({ "GET /api/orgs": [] });
    renderPage(<AppShell />, { at: "/", path: "/" });

    expect(await screen.findByText("You're not in an organisation")).toBeInTheDocument();
    expect(screen.getByLabelText("Organisation name")).toBeInTheDocument();
  });

  it("signs out from the account menu", async () => {
    fakeApi({ "GET /api/orgs": orgs });
    const { user } = renderPage(<AppShell />, { at: "/", path: "/" });

    await user.click(await screen.findByRole("button", { name: "Account menu" }));
    await user.click(await screen.findByRole("menuitem", { name: /Sign out/ }));

    expect(session.get().token).toBeNull();
    expect(session.get().ended).toBe("signed-out");
  });
});
