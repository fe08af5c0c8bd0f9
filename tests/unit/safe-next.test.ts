import { describe, expect, it } from "vitest";
import { safeNext } from "@/components/auth/next";

describe("safeNext: post-sign-in destinations stay on this site", () => {
  it.each([
    "/\t/evil.example",
    "/\n/evil.example",
    "/\r/evil.example",
    "//evil.example",
    "/\\evil.example",
    "/\\/evil.example",
    "/x\\..\\..\\/evil.example",
    "https://evil.example",
    "javascript:alert(1)",
    "evil.example",
    "/ /evil.example",
    "/\u0000/evil.example",
    "/\u2028/evil.example",
    "",
  ])("refuses %j", (next) => {
    expect(safeNext(next)).toBe("/projects");
  });

  it.each(["/projects", "/invite/inv_abc123", "/verify-email?token=ev_abc", "/keys#new", "/a/b?c=%2F%2Fd"])("keeps %j", (next) => {
    expect(safeNext(next)).toBe(next);
  });

  it("null and undefined fall back", () => {
    expect(safeNext(null)).toBe("/projects");
    expect(safeNext(undefined)).toBe("/projects");
  });
});
