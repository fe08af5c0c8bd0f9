import { describe, expect, it } from "vitest";
import { hashPassword, needsRehash, verifyPassword } from "@/lib/auth/password";

describe("password hashes", () => {
  it("hash with today's parameters, verify, and flag older ones for rehash", async () => {
    const stored = await hashPassword("long enough pw");
    expect(stored).toMatch(/^scrypt\$131072\$8\$1\$/);
    expect(needsRehash(stored)).toBe(false);
    expect(needsRehash(stored.replace("$131072$", "$32768$"))).toBe(true);
    expect(await verifyPassword("long enough pw", stored)).toBe(true);
    expect(await verifyPassword("other pw", stored)).toBe(false);
  });

  it("many hashes at once all complete (queued two at a time)", async () => {
    const results = await Promise.all(Array.from({ length: 3 }, (_, i) => hashPassword(`pw-${i}-long-enough`)));
    expect(new Set(results).size).toBe(3);
    expect(await Promise.all(results.map((h, i) => verifyPassword(`pw-${i}-long-enough`, h)))).toEqual([true, true, true]);
  });
});
