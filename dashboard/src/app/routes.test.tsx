import { describe, expect, it } from "vitest";
import { render, screen } from "@testing-library/react";
import { MemoryRouter } from "react-router";
import { fakeApi } from "@/test/fake-api";
import { stats } from "@/test/fixtures";
import { session } from "@/lib/session";
import { Providers } from "./Providers";
import { AppRoutes } from "./routes";

function open(at: string) {
  render(
    <Providers>
      <MemoryRouter initialEntries={[at]}><AppRoutes /></MemoryRouter>
    </Providers>,
  );
}

describe("AppRoutes", () => {
  it("sends a signed-out visitor to sign in", async () => {
    fakeApi({});
    open("/keys");
    expect(await screen.findByRole("heading", { name: "Sign in to Chis" })).toBeInTheDocument();
  });

  it("opens the overview in the shell for a signed-in user", async () => {
    fakeApi({ "GET /api/dashboard/stats": stats });
    session.signIn("t", new Date(Date.now() + 60_000).toISOString());
    open("/");

    expect(await screen.findByRole("heading", { name: "Overview" })).toBeInTheDocument();
    expect(screen.getByRole("navigation", { name: "Main" })).toBeInTheDocument();
  });

  it("says so for a page that doesn't exist", async () => {
    fakeApi({});
    session.signIn("t", new Date(Date.now() + 60_000).toISOString());
    open("/no/such/page");

    expect(await screen.findByText("This page doesn't exist")).toBeInTheDocument();
  });
});
