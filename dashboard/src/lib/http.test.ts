import { describe, expect, it } from "vitest";
import { z } from "zod";
import { apiError, fakeApi } from "@/test/fake-api";
import { ApiError, query, request, toApiError } from "./http";
import { session } from "./session";

const thing = z.object({ id: z.string(), n: z.number() });

describe("request", () => {
  it("sends the bearer token and organisation, and returns checked data", async () => {
    const api = fakeApi({ "GET /api/thing": { id: "a", n: 1, extra: true } });
    session.signIn("tok", new Date(Date.now() + 60_000).toISOString());

    const got = await request("GET", "/api/thing", { schema: thing, orgId: "org-9" });

    expect(got).toEqual({ id: "a", n: 1 });
    const [call] = api.callsTo("GET /api/thing");
    expect(call?.headers.authorization).toBe("Bearer tok");
    expect(call?.headers["x-org-id"]).toBe("org-9");
  });

  it("refuses an answer of the wrong shape with a readable error", async () => {
    fakeApi({ "GET /api/thing": { id: 7 } });

    const err = await request("GET", "/api/thing", { schema: thing }).catch((e: unknown) => e);

    expect(err).toBeInstanceOf(ApiError);
    expect((err as ApiError).code).toBe("unexpected_response");
    expect((err as ApiError).message).toMatch(/GET \/api\/thing: id/);
  });

  it("turns an error body into ApiError with its message and details", async () => {
    fakeApi({
      "POST /api/thing": apiError(422, "Some fields need attention.",
        [{ field: "name", message: "too long" }]),
    });

    const err = await request("POST", "/api/thing", { schema: thing, body: { name: "x" } })
      .catch((e: unknown) => e) as ApiError;

    expect(err.status).toBe(422);
    expect(err.message).toBe("Some fields need attention.");
    expect(err.details).toEqual([{ field: "name", message: "too long" }]);
  });

  it("ends the session on 401 when a token was sent", async () => {
    fakeApi({ "GET /api/thing": apiError(401, "token expired") });
    session.signIn("tok", new Date(Date.now() + 60_000).toISOString());

    await expect(request("GET", "/api/thing", { schema: thing })).rejects.toThrow("token expired");
    expect(session.get().token).toBeNull();
    expect(session.get().ended).toBe("expired");
  });

  it("keeps the session on a 401 from an unauthenticated call", async () => {
    fakeApi({ "POST /auth/login": apiError(401, "wrong e-mail or password") });
    session.signIn("tok", new Date(Date.now() + 60_000).toISOString());

    await expect(request("POST", "/auth/login", { schema: thing, auth: false }))
      .rejects.toThrow("wrong e-mail or password");
    expect(session.get().token).toBe("tok");
  });

  it("sends a raw body byte for byte", async () => {
    const api = fakeApi({ "POST /x": { id: "a", n: 1 } });
    const raw = '{"payload":{"n":12345678901234567890123,"b":1,"b":2}}';

    await request("POST", "/x", { schema: thing, rawBody: raw, auth: false });

    expect(api.calls[0]?.body).toBe(raw);
    expect(api.calls[0]?.headers["content-type"]).toBe("application/json");
  });

  it("reports a network failure in plain words", async () => {
    fakeApi({});
    globalThis.fetch = (() => Promise.reject(new TypeError("Failed to fetch"))) as typeof fetch;

    await expect(request("GET", "/api/thing", { schema: thing }))
      .rejects.toThrow(/Can't reach the Chis API/);
  });
});

describe("toApiError", () => {
  it("falls back to a status message for a body that is not ours", () => {
    const err = toApiError(503, "<html>bad gateway</html>");
    expect(err.message).toMatch(/temporarily unavailable/);
    expect(err.details).toEqual([]);
  });
});

describe("query", () => {
  it("drops empty values and encodes the rest", () => {
    expect(query({ a: "x y", b: "", c: undefined, d: 2 })).toBe("?a=x+y&d=2");
    expect(query({ a: "" })).toBe("");
  });
});
