// Read-your-writes across instances: an audit id returned by one instance is readable through the
// other at once (the row may still be in the first instance's batch; the detail route waits for one
// flush interval on PostgreSQL before it answers 404).
import { describe, expect, inject, it } from "vitest";
import { baseURL, orgWithKey } from "../gateway/helpers";

const adminKey = inject("adminKey");

describe("read-your-writes on two instances", () => {
  it("GET /api/audit-logs/{id} on instance B finds the row of a response instance A just returned", async () => {
    const { key, orgId } = await orgWithKey("multi-ryw");
    // One at a time, each read the moment its response is in: well inside A's flush interval.
    for (let i = 0; i < 10; i++) {
      const reply = await fetch(`${baseURL}/v1/chat/completions`, {
        method: "POST",
        headers: { authorization: `Bearer ${key}`, "content-type": "application/json", "x-cluster-instance": "0" },
        body: JSON.stringify({ model: "openai/gpt-4o-mini", max_tokens: 16, messages: [{ role: "user", content: `multi ryw ${i}` }] }),
      });
      expect([reply.status, reply.headers.get("x-vecstruct-instance")]).toEqual([200, "0"]);
      const id = reply.headers.get("x-vecstruct-audit-id")!;
      const detail = await fetch(`${baseURL}/api/audit-logs/${id}?org_id=${orgId}`, { headers: { authorization: `Bearer ${adminKey}`, "x-cluster-instance": "1" } });
      expect([detail.status, detail.headers.get("x-vecstruct-instance")]).toEqual([200, "1"]);
      expect(((await detail.json()) as { id: string }).id).toBe(id);
    }
  });
});
