import { describe, expect, it } from "vitest";
import { apiError, fakeApi, reply } from "@/test/fake-api";
import { createOrg, deleteOrg, listOrgs } from "./api";

describe("orgs api", () => {
  it("lists and creates organisations", async () => {
    fakeApi({
      "GET /api/orgs": [{ id: "o1", name: "A", slug: "a", role: "admin" }],
      "POST /api/orgs": reply(201, { id: "o2", name: "B", slug: "b-12", role: "admin" }),
    });

    await expect(listOrgs()).resolves.toHaveLength(1);
    await expect(createOrg("B")).resolves.toMatchObject({ id: "o2", role: "admin" });
  });

  it("deletes with the typed name and reports a mismatch", async () => {
    const api = fakeApi({
      "DELETE /api/org": apiError(422, "Some fields need attention.",
        [{ field: "name", message: "does not match" }]),
    });

    await expect(deleteOrg("o1", "Wrong")).rejects.toMatchObject({ status: 422 });
    expect(api.calls[0]?.json()).toEqual({ name: "Wrong" });
    expect(api.calls[0]?.headers["x-org-id"]).toBe("o1");
  });
});
