import { describe, expect, it } from "vitest";
import { formatDuration, formatPercent, formatRelative, plural } from "./format";

describe("format", () => {
  it("renders durations at a useful precision", () => {
    expect(formatDuration(null)).toBe("—");
    expect(formatDuration(0)).toBe("0 ms");
    expect(formatDuration(1.5)).toBe("1.5 ms");
    expect(formatDuration(84.4)).toBe("84 ms");
    expect(formatDuration(1234)).toBe("1.23 s");
    expect(formatDuration(12_345)).toBe("12.3 s");
    expect(formatDuration(125_000)).toBe("2 m 5 s");
  });

  it("says how long ago or how soon", () => {
    const now = Date.parse("2025-01-02T12:00:00Z");
    expect(formatRelative("2025-01-02T11:59:58Z", now)).toBe("just now");
    expect(formatRelative("2025-01-02T11:57:00Z", now)).toBe("3 minutes ago");
    expect(formatRelative("2025-01-04T12:00:00Z", now)).toBe("in 2 days");
  });

  it("counts and rates", () => {
    expect(plural(1, "attempt")).toBe("1 attempt");
    expect(plural(1200, "attempt")).toBe("1,200 attempts");
    expect(formatPercent(98.456)).toBe("98.46%");
    expect(formatPercent(100)).toBe("100%");
  });
});
