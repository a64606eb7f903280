import { describe, expect, it } from "vitest";
import { fakeApi } from "@/test/fake-api";
import { getSigningSecret, rotateSigningSecret } from "./api";

describe("signing secret api", () => {
  it("reads and rotates the secret", async () => {
    const api = fakeApi({
      "GET /api/org/signing-secret": { signingSecret: "whsec_old" },
      "POST /api/org/signing-secret/rotate": { signingSecret: "whsec_new" },
    });

    await expect(getSigningSecret("o1")).resolves.toEqual({ signingSecret: "whsec_old" });
    await expect(rotateSigningSecret("o1")).resolves.toEqual({ signingSecret: "whsec_new" });
    expect(api.calls.every((c) => c.headers["x-org-id"] === "o1")).toBe(true);
  });

  it("refuses an empty secret", async () => {
    fakeApi({ "GET /api/org/signing-secret": { signingSecret: "" } });
    await expect(getSigningSecret("o1")).rejects.toThrow(/signingSecret/);
  });
});
