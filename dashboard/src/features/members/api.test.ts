import { describe, expect, it } from "vitest";
import { fakeApi, reply } from "@/test/fake-api";
import { acceptInvitation, createInvitation, listMembers, respondToInvitation } from "./api";

describe("members api", () => {
  it("creates an invitation and keeps the link to share", async () => {
    const api = fakeApi({
      "POST /api/invitations/": reply(201, {
        id: "i1", email: "bo@example.com", role: "member", status: "pending",
        expiresAt: "2025-01-09T10:00:00Z", createdAt: "2025-01-02T10:00:00Z",
        inviteUrl: "http://localhost:8080/invitations/accept?token=t0k",
      }),
    });

    const inv = await createInvitation("org-1", { email: "bo@example.com", role: "member" });

    expect(inv.inviteUrl).toContain("token=t0k");
    expect(api.calls[0]?.json()).toEqual({ email: "bo@example.com", role: "member" });
  });

  it("reads members with their roles", async () => {
    fakeApi({
      "GET /api/members": [{ userId: "u1", email: "ada@example.com", firstName: "Ada",
        lastName: "Lovelace", role: "admin", joinedAt: "2025-01-02T10:00:00Z" }],
    });
    const [m] = await listMembers("org-1");
    expect(m?.role).toBe("admin");
  });

  it("accepts a token and answers a pending invitation", async () => {
    const api = fakeApi({
      "POST /api/invitations/accept": { message: "ok", orgId: "o2", orgName: "Beta",
        orgSlug: "beta", role: "member" },
      "POST /api/invitations/i1/respond": { message: "declined" },
    });

    await expect(acceptInvitation("t0k")).resolves.toMatchObject({ orgId: "o2" });
    await expect(respondToInvitation("i1", "decline")).resolves.toEqual({ message: "declined" });
    expect(api.calls.map((c) => c.json())).toEqual([{ token: "t0k" }, { action: "decline" }]);
  });
});
