import { describe, expect, it } from "vitest";
import { apiError, fakeApi, reply } from "@/test/fake-api";
import { sendBody, sendWebhook } from "./api";

describe("playground api", () => {
  it("sends the payload text untouched, with the API key and no session token", async () => {
    const api = fakeApi({
      "POST /webhook/send": reply(201, { messageId: "m1", status: "pending" }),
    });
    const payload = '{"id":12345678901234567890123,  "z":-0}';

    const res = await sendWebhook({ apiKey: "chis_k", url: "https://x.test/h", method: "PUT",
      eventType: "", payload });

    expect(res.messageId).toBe("m1");
    const call = api.calls[0]!;
    expect(call.headers["x-api-key"]).toBe("chis_k");
    expect(call.headers.authorization).toBeUndefined();
    expect(call.body).toBe(`{"url":"https://x.test/h","method":"PUT","payload":${payload}}`);
  });

  it("quotes the URL and event type safely", () => {
    const body = sendBody({ url: 'https://x.test/"q"', method: "POST", eventType: "a\"b",
      payload: "[]" });
    expect(JSON.parse(body)).toEqual({ url: 'https://x.test/"q"', method: "POST",
      eventType: 'a"b', payload: [] });
  });

  it("surfaces a refused key as an error", async () => {
    fakeApi({ "POST /webhook/send": apiError(401, "invalid API key") });
    await expect(sendWebhook({ apiKey: "bad", url: "https://x.test", method: "POST",
      eventType: "", payload: "{}" })).rejects.toMatchObject({ status: 401 });
  });
});
