import { describe, expect, it } from "vitest";
import { fakeApi, reply } from "@/test/fake-api";
import { createKey, listKeys, revokeKey } from "./api";
import { expiresAt } from "./schema";

describe("keys api", () => {
  it("creates a key and returns it with its one-time secret", async () => {
    const api = fakeApi({
      "POST /api/api-key/create": reply(201, {
        id: "k1", name: "CI", prefix: "chis_ab12", key: "chis_ab12secret",
        createdAt: "2025-01-02T10:00:00Z", expiresAt: null,
      }),
    });

    const k = await createKey("org-1", { name: "CI" });

    expect(k.key).toBe("chis_ab12secret");
    expect(api.calls[0]?.json()).toEqual({ name: "CI" });
  });

  it("lists keys whose last use may be unknown", async () => {
    fakeApi({
      "GET /api/api-key/list": [{ id: "k1", name: "CI", prefix: "chis_ab12",
        createdAt: "2025-01-02T10:00:00Z", lastUsedAt: null, expiresAt: null }],
    });

    const [k] = await listKeys("org-1");
    expect(k?.lastUsedAt).toBeNull();
  });

  it("accepts the empty 204 of a revoke", async () => {
    fakeApi({ "DELETE /api/api-key/k1": reply(204) });
    await expect(revokeKey("org-1", "k1")).resolves.toBeUndefined();
  });

  it("turns the expiry choice into a time", () => {
    const now = Date.parse("2025-01-01T00:00:00Z");
    expect(expiresAt({ name: "", expiry: "never", expiresOn: "" }, now)).toBeUndefined();
    expect(expiresAt({ name: "", expiry: "30", expiresOn: "" }, now))
      .toBe("2025-01-31T00:00:00.000Z");
  });
});
