import { describe, expect, it } from "vitest";
import { screen, waitFor } from "@testing-library/react";
import { Route, Routes } from "react-router";
import { apiError, fakeApi } from "@/test/fake-api";
import { location, renderPage } from "@/test/render";
import { session } from "@/lib/session";
import { LoginPage } from "./LoginPage";
import { RegisterPage } from "./RegisterPage";
import { RequireAuth } from "./RequireAuth";

describe("LoginPage", () => {
  it("checks the form before calling the API", async () => {
    const api = fakeApi({});
    const { user } = renderPage(<LoginPage />, { at: "/login", path: "/login", signedIn: false,
      withOrg: false });

    await user.type(screen.getByLabelText("E-mail"), "not-an-address");
    await user.click(screen.getByRole("button", { name: "Sign in" }));

    expect(await screen.findByText("Enter a valid e-mail address")).toBeInTheDocument();
    expect(screen.getByText("Enter your password")).toBeInTheDocument();
    expect(screen.getByLabelText("E-mail")).toHaveAttribute("aria-invalid", "true");
    expect(api.calls).toHaveLength(0);
  });

  it("shows the API's message for a wrong password", async () => {
    fakeApi({ "POST /auth/login": apiError(401, "Wrong e-mail or password.") });
    const { user } = renderPage(<LoginPage />, { at: "/login", path: "/login", signedIn: false,
      withOrg: false });

    await user.type(screen.getByLabelText("E-mail"), "ada@example.com");
    await user.type(screen.getByLabelText("Password"), "nope-nope");
    await user.click(screen.getByRole("button", { name: "Sign in" }));

    expect(await screen.findByRole("alert")).toHaveTextContent("Wrong e-mail or password.");
    expect(session.get().token).toBeNull();
  });

  it("signs in and goes back where the user was headed", async () => {
    const api = fakeApi({
      "POST /auth/login": { token: "jwt-1", expiresAt: "2099-01-01T00:00:00Z" },
    });
    const r = renderPage(<LoginPage />, { at: "/login?next=%2Flogs%3Fstatus%3Dfailed",
      path: "/login", signedIn: false, withOrg: false });

    await r.user.type(screen.getByLabelText("E-mail"), "ada@example.com");
    await r.user.type(screen.getByLabelText("Password"), "secret123");
    await r.user.click(screen.getByRole("button", { name: "Sign in" }));

    await waitFor(() => expect(location(r)).toBe("/logs?status=failed"));
    expect(session.get().token).toBe("jwt-1");
    expect(api.calls[0]?.json()).toEqual({ email: "ada@example.com", password: "secret123" });
  });

  it("tells the user when their session has ended", () => {
    fakeApi({});
    session.signIn("t", "2099-01-01T00:00:00Z");
    session.end("expired");
    renderPage(<LoginPage />, { at: "/login", path: "/login", signedIn: false, withOrg: false });

    expect(screen.getByText("Your session has ended")).toBeInTheDocument();
  });
});

describe("RegisterPage", () => {
  it("puts the API's field errors on the fields", async () => {
    fakeApi({
      "POST /auth/register": apiError(409, "That e-mail is already registered.",
        [{ field: "email", message: "already registered" }]),
    });
    const { user } = renderPage(<RegisterPage />, { at: "/register", path: "/register",
      signedIn: false, withOrg: false });

    await user.type(screen.getByLabelText("First name"), "Ada");
    await user.type(screen.getByLabelText("Work e-mail"), "ada@example.com");
    await user.type(screen.getByLabelText("Password"), "secret123");
    await user.click(screen.getByRole("button", { name: "Create account" }));

    expect(await screen.findByText("Already registered")).toBeInTheDocument();
    expect(screen.getByLabelText("Work e-mail")).toHaveAttribute("aria-invalid", "true");
  });

  it("creates the account, signs in and opens the dashboard", async () => {
    const api = fakeApi({
      "POST /auth/register": () => ({ status: 201,
        body: { id: "u1", email: "ada@example.com", firstName: "Ada" } }),
      "POST /auth/login": { token: "jwt-2", expiresAt: "2099-01-01T00:00:00Z" },
    });
    const r = renderPage(<RegisterPage />, { at: "/register", path: "/register",
      signedIn: false, withOrg: false });

    await r.user.type(screen.getByLabelText("First name"), "Ada");
    await r.user.type(screen.getByLabelText(/Last name/), "Lovelace");
    await r.user.type(screen.getByLabelText("Work e-mail"), "ada@example.com");
    await r.user.type(screen.getByLabelText("Password"), "short");
    await r.user.click(screen.getByRole("button", { name: "Create account" }));
    expect(await screen.findByText("Use at least 8 characters")).toBeInTheDocument();

    await r.user.type(screen.getByLabelText("Password"), "-and-long");
    await r.user.click(screen.getByRole("button", { name: "Create account" }));

    await waitFor(() => expect(location(r)).toBe("/"));
    expect(api.callsTo("POST /auth/register")[0]?.json()).toEqual({
      firstName: "Ada", lastName: "Lovelace", email: "ada@example.com", password: "short-and-long",
    });
    expect(session.get().token).toBe("jwt-2");
  });
});

describe("RequireAuth", () => {
  it("sends a visitor to sign in with the page to come back to", () => {
    fakeApi({});
    const r = renderPage(
      <Routes>
        <Route path="/logs" element={<RequireAuth><div>secret log</div></RequireAuth>} />
        <Route path="/login" element={<div>sign in here</div>} />
      </Routes>,
      { at: "/logs?status=failed", path: "*", signedIn: false, withOrg: false },
    );

    expect(screen.getByText("sign in here")).toBeInTheDocument();
    expect(location(r)).toBe("/login?next=%2Flogs%3Fstatus%3Dfailed");
  });
});
