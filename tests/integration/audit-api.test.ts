import { describe, expect, it } from "vitest";
import * as auditItem from "@/app/api/audit-logs/[id]/route";
import * as audit from "@/app/api/audit-logs/route";
import * as usage from "@/app/api/usage/route";
import { flushAudit, recordAudit, type AuditRecord } from "@/lib/audit/writer";
import { db } from "@/lib/db";
import { call, signedInUser } from "../helpers/http";

function row(orgId: string, projectId: string, i: number, over: Partial<AuditRecord> = {}): AuditRecord {
  return {
    id: `aud_api_${i}_${Math.random().toString(36).slice(2)}`, orgId, projectId, apiKeyId: "key_1", origin: "api", endpoint: "/v1/chat/completions",
    model: i % 2 ? "anthropic/claude-3-5-sonnet" : "openai/gpt-4o", provider: i % 2 ? "anthropic" : "openai", status: i % 3 === 0 ? "error" : "success",
    httpStatus: i % 3 === 0 ? 502 : 200, errorCode: i % 3 === 0 ? "upstream_error" : null, errorMessage: null, stream: false,
    promptTokens: 100, completionTokens: 50, reasoningTokens: 0, cachedTokens: 0, usageEstimated: false, latencyMs: 20, ttftMs: 10,
    costMicros: 1_000n, creditsMicros: 0n, metadata: { user_id: `u${i}` }, attempts: [], request: { messages: [{ role: "user", content: `hi ${i}` }] },
    responseText: `answer ${i}`, createdAt: new Date(Date.UTC(2026, 5, 1 + (i % 3), 12, 0, i)), ...over,
  };
}

describe("audit logs and usage API", () => {
  it("filters, pages, exports and details audit rows, scoped to the organization", async () => {
    const a = await signedInUser("auditA");
    const b = await signedInUser("auditB");
    const pa = await db().project.create({ data: { orgId: a.org.id, name: "pa" } });
    const pa2 = await db().project.create({ data: { orgId: a.org.id, name: "pa2" } });
    for (let i = 0; i < 9; i++) recordAudit(row(a.org.id, i < 6 ? pa.id : pa2.id, i));
    recordAudit(row(b.org.id, "p_b", 100));
    await flushAudit();

    const all = await call(audit.GET, { headers: a.headers, path: "/api/audit-logs?limit=4" });
    expect(all.status).toBe(200);
    expect(all.body.data).toHaveLength(4);
    expect(all.body.data[0]).toMatchObject({ object: "audit_log", origin: "api", prompt_tokens: 100, cost_usd: 0.001, metadata: { user_id: expect.any(String) } });
    expect(all.body.data[0].request).toBeUndefined();
    const page2 = await call(audit.GET, { headers: a.headers, path: `/api/audit-logs?limit=4&cursor=${all.body.next_cursor}` });
    const page3 = await call(audit.GET, { headers: a.headers, path: `/api/audit-logs?limit=4&cursor=${page2.body.next_cursor}` });
    const ids = [...all.body.data, ...page2.body.data, ...page3.body.data].map((r: any) => r.id);
    expect(new Set(ids).size).toBe(9);
    expect(page3.body.next_cursor).toBeNull();

    const errors = await call(audit.GET, { headers: a.headers, path: "/api/audit-logs?status=error" });
    expect(errors.body.data).toHaveLength(3);
    const byModel = await call(audit.GET, { headers: a.headers, path: "/api/audit-logs?model=anthropic/claude-3-5-sonnet" });
    expect(byModel.body.data).toHaveLength(4);
    const byProject = await call(audit.GET, { headers: a.headers, path: `/api/audit-logs?project_id=${pa2.id}` });
    expect(byProject.body.data).toHaveLength(3);
    const byDay = await call(audit.GET, { headers: a.headers, path: "/api/audit-logs?from=2026-06-02&to=2026-06-02" });
    expect(byDay.body.data).toHaveLength(3);
    const bad = await call(audit.GET, { headers: a.headers, path: "/api/audit-logs?status=maybe" });
    expect(bad.status).toBe(400);
    expect(bad.body.error.param).toBe("status");

    const detail = await call(auditItem.GET, { headers: a.headers, params: { id: ids[0] } });
    expect(detail.body).toMatchObject({ request: { messages: [expect.any(Object)] }, response_text: expect.stringMatching(/^answer/), injected: [] });
    const foreign = await call(auditItem.GET, { headers: b.headers, params: { id: ids[0] } });
    expect(foreign.status).toBe(404);
    const foreignProject = await call(audit.GET, { headers: b.headers, path: `/api/audit-logs?project_id=${pa.id}` });
    expect(foreignProject.status).toBe(404);
    expect((await call(audit.GET, { headers: b.headers })).body.data).toHaveLength(1);

    const req = new Request("http://localhost/api/audit-logs?format=csv&status=error", { headers: a.headers });
    const csv = await (await audit.GET(req, { params: Promise.resolve({}) })).text();
    const lines = csv.trim().split("\n");
    expect(lines[0]).toMatch(/^id,created_at,origin,/);
    expect(lines).toHaveLength(4);
  });

  it("sums usage by day, model and project", async () => {
    const a = await signedInUser("usage");
    const p = await db().project.create({ data: { orgId: a.org.id, name: "p" } });
    for (let i = 0; i < 6; i++) recordAudit(row(a.org.id, p.id, i));
    await flushAudit();
    const q = "from=2026-06-01&to=2026-06-30";
    const byDay = await call(usage.GET, { headers: a.headers, path: `/api/usage?${q}&group_by=day` });
    expect(byDay.status).toBe(200);
    expect(byDay.body.data).toEqual([
      expect.objectContaining({ key: "2026-06-01", requests: 2, errors: 2, total_tokens: 300, cost_usd: 0.002 }),
      expect.objectContaining({ key: "2026-06-02", requests: 2, errors: 0 }),
      expect.objectContaining({ key: "2026-06-03", requests: 2, errors: 0 }),
    ]);
    expect(byDay.body.totals).toMatchObject({ requests: 6, prompt_tokens: 600, cost_usd: 0.006 });
    const byModel = await call(usage.GET, { headers: a.headers, path: `/api/usage?${q}&group_by=model` });
    expect(byModel.body.data.map((d: any) => [d.key, d.requests]).sort()).toEqual([["anthropic/claude-3-5-sonnet", 3], ["openai/gpt-4o", 3]]);
    const byProject = await call(usage.GET, { headers: a.headers, path: `/api/usage?${q}&group_by=project` });
    expect(byProject.body.data).toEqual([expect.objectContaining({ key: p.id, requests: 6 })]);
    const bad = await call(usage.GET, { headers: a.headers, path: "/api/usage?group_by=hour" });
    expect(bad.status).toBe(400);
  });
});
