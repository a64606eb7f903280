import { describe, expect, it } from "vitest";
import { fakeApi, reply } from "@/test/fake-api";
import { getMe, login, register } from "./api";

describe("auth api", () => {
  it("signs up and in without a token", async () => {
    const api = fakeApi({
      "POST /auth/register": reply(201, { id: "u1", email: "a@b.co", firstName: "A" }),
      "POST /auth/login": { token: "jwt", expiresAt: "2030-01-01T00:00:00Z" },
    });

    await register({ email: "a@b.co", password: "secret123", firstName: "A", lastName: "" });
    const t = await login({ email: "a@b.co", password: "secret123" });

    expect(t.token).toBe("jwt");
    expect(api.calls.every((c) => c.headers.authorization === undefined)).toBe(true);
  });

  it("reads the user, with a missing last name as empty", async () => {
    fakeApi({ "GET /api/me": { id: "u1", email: "a@b.co", firstName: "A", lastName: null } });
    await expect(getMe()).resolves.toMatchObject({ lastName: "" });
  });
});
