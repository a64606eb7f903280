import { describe, expect, it } from "vitest";
import { prettyJSON, rawField } from "./rawjson";

describe("rawField", () => {
  it("returns a value's text exactly, numbers and duplicate keys intact", () => {
    const payload = '{"id":12345678901234567890123, "huge":1e400,"dup":1,"dup":2,"s":"a\\"}b"}';
    const text = `{"id":"m1","payload":${payload},"status":"success"}`;

    expect(rawField(text, "payload")).toBe(payload);
    expect(rawField(text, "status")).toBe('"success"');
  });

  it("finds keys after nested values and strings holding braces", () => {
    const text = '{ "a" : {"x":"}]"} , "b":[1,[2,{"c":3}]], "payload" : [1, "two", null] }';
    expect(rawField(text, "payload")).toBe('[1, "two", null]');
  });

  it("answers undefined for a missing key or a non-object", () => {
    expect(rawField('{"a":1}', "payload")).toBeUndefined();
    expect(rawField("[1,2]", "payload")).toBeUndefined();
  });

  it("throws on broken JSON", () => {
    expect(() => rawField('{"payload":{"a":1', "payload")).toThrow();
  });
});

describe("prettyJSON", () => {
  it("re-indents without changing any token", () => {
    const raw = '{"z":1E+2,"a":{"b":[1,2],"e":{}},"n":12345678901234567890123,"s":"x, {y}: z"}';
    expect(prettyJSON(raw)).toBe([
      "{",
      '  "z": 1E+2,',
      '  "a": {',
      '    "b": [',
      "      1,",
      "      2",
      "    ],",
      '    "e": {}',
      "  },",
      '  "n": 12345678901234567890123,',
      '  "s": "x, {y}: z"',
      "}",
    ].join("\n"));
  });

  it("leaves text that is not JSON alone", () => {
    expect(prettyJSON("<html>oops</html>")).toBe("<html>oops</html>");
    expect(prettyJSON('{"a":')).toBe('{"a":');
  });
});
