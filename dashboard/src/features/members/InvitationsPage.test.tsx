import { describe, expect, it } from "vitest";
import { screen, waitFor } from "@testing-library/react";
import { apiError, fakeApi } from "@/test/fake-api";
import { location, renderPage } from "@/test/render";
import { session } from "@/lib/session";
import { AcceptInvitationPage } from "./AcceptInvitationPage";
import { InvitationsPage } from "./InvitationsPage";

const pending = { id: "i9", orgName: "Beta Corp", orgSlug: "beta", role: "member",
  expiresAt: new Date(Date.now() + 3 * 86_400_000).toISOString() };

describe("InvitationsPage", () => {
  it("accepts an invitation and switches to that organisation", async () => {
    const api = fakeApi({
      "GET /api/invitations/pending": [pending],
      "POST /api/invitations/i9/respond": { message: "joined", orgId: "org-beta",
        orgName: "Beta Corp", orgSlug: "beta", role: "member" },
    });
    const r = renderPage(<InvitationsPage />, { at: "/invitations", path: "/invitations" });

    expect(await screen.findByText("Beta Corp")).toBeInTheDocument();
    api.set("GET /api/orgs", [{ id: "org-1", name: "Acme Inc", slug: "a", role: "admin" },
      { id: "org-beta", name: "Beta Corp", slug: "beta", role: "member" }]);
    await r.user.click(screen.getByRole("button", { name: "Accept" }));

    await waitFor(() => expect(location(r)).toBe("/"));
    expect(api.callsTo("POST /api/invitations/i9/respond")[0]!.json())
      .toEqual({ action: "accept" });
    expect(session.get().orgId).toBe("org-beta");
  });

  it("declines and says when nothing is left", async () => {
    const api = fakeApi({
      "GET /api/invitations/pending": [pending],
      "POST /api/invitations/i9/respond": { message: "declined" },
    });
    const { user } = renderPage(<InvitationsPage />, { at: "/invitations", path: "/invitations" });

    await screen.findByText("Beta Corp");
    api.set("GET /api/invitations/pending", []);
    await user.click(screen.getByRole("button", { name: "Decline" }));

    expect(await screen.findByText("No invitations for you")).toBeInTheDocument();
    expect(api.callsTo("POST /api/invitations/i9/respond")[0]!.json())
      .toEqual({ action: "decline" });
  });
});

describe("AcceptInvitationPage", () => {
  it("accepts the token from the link once", async () => {
    const api = fakeApi({
      "POST /api/invitations/accept": { message: "joined", orgId: "org-beta",
        orgName: "Beta Corp", orgSlug: "beta", role: "admin" },
    });
    const r = renderPage(<AcceptInvitationPage />, { at: "/invitations/accept?token=tok123",
      path: "/invitations/accept", withOrg: false });

    expect(await screen.findByText("You've joined Beta Corp")).toBeInTheDocument();
    expect(api.callsTo("POST /api/invitations/accept").map((c) => c.json()))
      .toEqual([{ token: "tok123" }]);

    await r.user.click(screen.getByRole("button", { name: "Open Beta Corp" }));
    expect(session.get().orgId).toBe("org-beta");
    expect(location(r)).toBe("/");
  });

  it("explains an expired or used link", async () => {
    fakeApi({ "POST /api/invitations/accept": apiError(404, "This invitation has expired.") });
    renderPage(<AcceptInvitationPage />, { at: "/invitations/accept?token=old",
      path: "/invitations/accept", withOrg: false });

    expect(await screen.findByText("This invitation has expired.")).toBeInTheDocument();
  });

  it("says when the link has no token", () => {
    const api = fakeApi({});
    renderPage(<AcceptInvitationPage />, { at: "/invitations/accept",
      path: "/invitations/accept", withOrg: false });

    expect(screen.getByText("This link is incomplete")).toBeInTheDocument();
    expect(api.calls).toHaveLength(0);
  });
});
