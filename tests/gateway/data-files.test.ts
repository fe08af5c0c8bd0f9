// Issue 14 (low): the running app's SQLite database and generated secrets are readable by its user only.
import { statSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { inject } from "vitest";

const dbUrl = inject("dbUrl");
const mode = (p: string) => statSync(p).mode & 0o777;

describe.skipIf(!dbUrl.startsWith("file:"))("the started app's data files", () => {
  it("keeps the database and secrets.json at 0600", () => {
    const file = dbUrl.slice("file:".length);
    expect(mode(file)).toBe(0o600);
    expect(mode(path.join(path.dirname(file), "secrets.json"))).toBe(0o600);
  });
});
