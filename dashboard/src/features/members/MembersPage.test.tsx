import { describe, expect, it } from "vitest";
import { screen, waitFor, within } from "@testing-library/react";
import { apiError, fakeApi, reply } from "@/test/fake-api";
import { minutesAgo } from "@/test/fixtures";
import { renderPage } from "@/test/render";
import { MembersPage } from "./MembersPage";

const members = [
  { userId: "u1", email: "ada@example.com", firstName: "Ada", lastName: "Lovelace",
    role: "admin", joinedAt: minutesAgo(5000) },
  { userId: "u2", email: "grace@example.com", firstName: "Grace", lastName: "",
    role: "member", joinedAt: minutesAgo(100) },
];
const invitation = { id: "i1", email: "linus@example.com", role: "member", status: "pending",
  expiresAt: new Date(Date.now() + 7 * 86_400_000).toISOString(), createdAt: minutesAgo(1) };

describe("MembersPage", () => {
  it("lists members with their roles and open invitations", async () => {
    fakeApi({ "GET /api/members": members, "GET /api/invitations/": [invitation] });
    renderPage(<MembersPage />, { at: "/members", path: "/members" });

    await waitFor(() => expect(screen.getAllByRole("table")).toHaveLength(2));
    const [people, invites] = screen.getAllByRole("table");
    const rows = within(people!).getAllByRole("row").slice(1);
    expect(within(rows[0]!).getByText("Ada Lovelace")).toBeInTheDocument();
    expect(within(rows[0]!).getByText("admin")).toBeInTheDocument();
    expect(within(rows[1]!).getByText("grace@example.com")).toBeInTheDocument();
    expect(within(invites!).getByText("linus@example.com")).toBeInTheDocument();
    expect(within(invites!).getByText("pending")).toBeInTheDocument();
  });

  it("invites by e-mail and shows the link to share", async () => {
    const api = fakeApi({
      "GET /api/members": members,
      "GET /api/invitations/": [],
      "POST /api/invitations/": reply(201, { ...invitation, role: "admin",
        inviteUrl: "http://localhost:8080/invitations/accept?token=tok123" }),
    });
    const { user } = renderPage(<MembersPage />, { at: "/members", path: "/members" });

    expect(await screen.findByText("No open invitations")).toBeInTheDocument();
    await user.click(screen.getByRole("button", { name: "Invite member" }));
    const dialog = await screen.findByRole("dialog");
    await user.type(within(dialog).getByLabelText("E-mail"), "linus@example.com");
    await user.selectOptions(within(dialog).getByLabelText("Role"), "admin");
    await user.click(within(dialog).getByRole("button", { name: "Send invitation" }));

    expect(await within(dialog).findByLabelText("Invitation link"))
      .toHaveValue("http://localhost:8080/invitations/accept?token=tok123");
    expect(within(dialog).getByText("No e-mail was sent")).toBeInTheDocument();
    expect(api.callsTo("POST /api/invitations/")[0]!.json())
      .toEqual({ email: "linus@example.com", role: "admin" });
  });

  it("shows the API's reason on the e-mail field", async () => {
    fakeApi({
      "GET /api/members": members,
      "GET /api/invitations/": [],
      "POST /api/invitations/": apiError(409, "Already a member.",
        [{ field: "email", message: "is already a member" }]),
    });
    const { user } = renderPage(<MembersPage />, { at: "/members", path: "/members" });

    await user.click(await screen.findByRole("button", { name: "Invite member" }));
    const dialog = await screen.findByRole("dialog");
    await user.type(within(dialog).getByLabelText("E-mail"), "ada@example.com");
    await user.click(within(dialog).getByRole("button", { name: "Send invitation" }));

    expect(await within(dialog).findByText("Is already a member")).toBeInTheDocument();
  });

  it("cancels an invitation after confirmation", async () => {
    const api = fakeApi({
      "GET /api/members": members,
      "GET /api/invitations/": [invitation],
      "DELETE /api/invitations/i1": { message: "cancelled" },
    });
    const { user } = renderPage(<MembersPage />, { at: "/members", path: "/members" });

    await user.click(await screen.findByRole("button",
      { name: "Cancel invitation for linus@example.com" }));
    await user.click(within(await screen.findByRole("alertdialog"))
      .getByRole("button", { name: "Cancel invitation" }));

    await waitFor(() => expect(api.callsTo("DELETE /api/invitations/i1")).toHaveLength(1));
    expect(await screen.findByText("Invitation cancelled")).toBeInTheDocument();
  });
});
