import { describe, expect, it } from "vitest";
import { clearAuditQueueForTests, flushAudit, pendingAuditRows, recordAudit, type AuditRecord } from "@/lib/audit/writer";
import { db } from "@/lib/db";
import { signedInUser } from "../helpers/http";

function record(orgId: string, i: number): AuditRecord {
  return {
    id: `aud_test_${i}_${Math.random().toString(36).slice(2)}`,
    orgId,
    projectId: null,
    apiKeyId: "key_x",
    origin: "api",
    endpoint: "/v1/chat/completions",
    model: "openai/gpt-4o",
    provider: "openai",
    status: i % 2 ? "error" : "success",
    httpStatus: i % 2 ? 502 : 200,
    errorCode: i % 2 ? "upstream_error" : null,
    errorMessage: null,
    stream: i % 3 === 0,
    promptTokens: 10 + i,
    completionTokens: 5,
    reasoningTokens: 0,
    cachedTokens: 2,
    usageEstimated: false,
    latencyMs: 12,
    ttftMs: i % 2 ? null : 7,
    costMicros: 9_007_199_254_740_993n, // beyond 2^53: must stay exact
    creditsMicros: 30_000n,
    metadata: { user_id: "u1", nested: { a: [1, 2] } },
    attempts: [{ provider: "openai", model: "openai/gpt-4o", status: 200, error_code: null, latency_ms: 10 }],
    request: { messages: [{ role: "user", content: "hé 😀" }] },
    responseText: "ok",
    createdAt: new Date(Date.UTC(2026, 0, 1, 0, 0, 0, i)),
  };
}

describe("batched audit writer", () => {
  it("writes a row whose prompt and answer carry NUL characters (as U+FFFD, on both databases)", async () => {
    const { org } = await signedInUser("audit-nul");
    const row = { ...record(org.id, 0), request: { messages: [{ role: "user", content: "a\u0000b" }] }, responseText: "x\u0000y", metadata: { "k": "\u0000" } };
    recordAudit(row);
    await flushAudit();
    expect(pendingAuditRows()).toBe(0);
    const stored = await db().auditLog.findUniqueOrThrow({ where: { id: row.id } });
    const nul = "\uFFFD";
    expect(stored.responseText).toBe(`x${nul}y`);
    expect(stored.request).toEqual({ messages: [{ role: "user", content: `a${nul}b` }] });
  });

  it("writes a row carrying lone surrogates in the prompt, the answer, metadata values and keys (as U+FFFD)", async () => {
    const { org } = await signedInUser("audit-surrogate");
    const row = {
      ...record(org.id, 0),
      request: { messages: [{ role: "user", content: "bad \ud800 pair 😀 and \udc00" }] },
      responseText: "answer \udbff",
      metadata: { tag: "x\ud800", ["k\udc00ey"]: "v", literal: "\\ud800" },
      errorMessage: "msg \ud800",
    };
    recordAudit(row);
    await flushAudit();
    expect(pendingAuditRows()).toBe(0);
    const stored = await db().auditLog.findUniqueOrThrow({ where: { id: row.id } });
    expect(stored.request).toEqual({ messages: [{ role: "user", content: "bad \uFFFD pair 😀 and \uFFFD" }] });
    expect(stored.responseText).toBe("answer \uFFFD");
    expect(stored.metadata).toEqual({ tag: "x\uFFFD", "k\uFFFDey": "v", literal: "\\ud800" });
    expect(stored.errorMessage).toBe("msg \uFFFD");
  });

  it("writes every queued row exactly once, with exact money, JSON, booleans and dates", async () => {
    const { org } = await signedInUser("audit");
    const rows = Array.from({ length: 450 }, (_, i) => record(org.id, i));
    for (const r of rows) recordAudit(r);
    await flushAudit();
    expect(pendingAuditRows()).toBe(0);
    const stored = await db().auditLog.findMany({ where: { orgId: org.id }, orderBy: { createdAt: "asc" } });
    expect(stored).toHaveLength(450);
    const first = stored[0]!;
    expect(first).toMatchObject({
      id: rows[0]!.id,
      status: "success",
      stream: true,
      costMicros: 9_007_199_254_740_993n,
      metadata: { user_id: "u1", nested: { a: [1, 2] } },
      request: { messages: [{ role: "user", content: "hé 😀" }] },
      ttftMs: 7,
    });
    expect(first.createdAt.toISOString()).toBe("2026-01-01T00:00:00.000Z");
    expect(stored[1]!.ttftMs).toBeNull();
    // Keyset paging over these rows still orders correctly against Prisma-written cursors.
    const after = await db().auditLog.count({ where: { orgId: org.id, createdAt: { gt: new Date(Date.UTC(2026, 0, 1, 0, 0, 0, 99)) } } });
    expect(after).toBe(350);
  });
});

describe("audit retention", () => {
  it("deletes rows older than VECSTRUCT_AUDIT_RETENTION_DAYS and keeps their ledger entries", async () => {
    const { resetEnvForTests } = await import("@/lib/env");
    const { pruneAuditLogs } = await import("@/lib/lifecycle");
    const { org } = await signedInUser("retention");
    const old = { ...record(org.id, 1), createdAt: new Date("2020-01-01T00:00:00Z"), costMicros: 5n };
    const fresh = { ...record(org.id, 2), createdAt: new Date(), costMicros: 0n };
    recordAudit(old);
    recordAudit(fresh);
    await flushAudit();
    process.env.VECSTRUCT_AUDIT_RETENTION_DAYS = "30";
    resetEnvForTests();
    try {
      expect(await pruneAuditLogs()).toBeGreaterThanOrEqual(1);
    } finally {
      delete process.env.VECSTRUCT_AUDIT_RETENTION_DAYS;
      resetEnvForTests();
    }
    expect(await db().auditLog.findUnique({ where: { id: old.id } })).toBeNull();
    expect(await db().auditLog.findUnique({ where: { id: fresh.id } })).not.toBeNull();
    const entry = await db().ledgerEntry.findFirstOrThrow({ where: { orgId: org.id, kind: "usage", currency: "usd" } });
    expect(entry.amountMicros).toBe(-5n);
    expect(entry.auditLogId).toBeNull();
  });
});

describe("audit writer resilience", () => {
  it("writes the good rows of a batch that holds a row the database refuses", async () => {
    const { org } = await signedInUser("poison");
    const good = [record(org.id, 1), record(org.id, 2)];
    const bad = record("org_that_does_not_exist", 3);
    recordAudit(good[0]!);
    recordAudit(bad);
    recordAudit(good[1]!);
    const original = console.error;
    console.error = () => {};
    try {
      await flushAudit();
    } finally {
      console.error = original;
    }
    expect(await db().auditLog.count({ where: { id: { in: good.map((g) => g.id) } } })).toBe(2);
    expect(pendingAuditRows()).toBe(1);
    clearAuditQueueForTests();
  });

  it("sets a failing row aside, then writes it without its text and still settles its charge; logs carry no contents", async () => {
    const { org } = await signedInUser("poison-settled");
    const before = await db().organization.findUniqueOrThrow({ where: { id: org.id } });
    const good = record(org.id, 2);
    // A value the writer cannot serialize stands for any row the database refuses on its own.
    const bad = { ...record(org.id, 4), costMicros: 7n, request: { messages: [{ role: "user", content: "SECRET-PROMPT-TEXT" }] }, metadata: { n: 1n } as Record<string, unknown> };
    const logged: string[] = [];
    const original = process.stderr.write.bind(process.stderr);
    process.stderr.write = ((chunk: string | Uint8Array) => (logged.push(String(chunk)), true)) as typeof process.stderr.write;
    try {
      recordAudit(bad);
      recordAudit(good);
      await flushAudit();
      // The good row did not wait for the bad one.
      expect(await db().auditLog.count({ where: { id: good.id } })).toBe(1);
      for (let i = 0; i < 5 && pendingAuditRows() > 0; i++) await flushAudit();
    } finally {
      process.stderr.write = original;
    }
    expect(pendingAuditRows()).toBe(0);
    const stored = await db().auditLog.findUniqueOrThrow({ where: { id: bad.id } });
    expect(stored).toMatchObject({ request: null, responseText: null, costMicros: 7n });
    expect(stored.metadata).toBeNull();
    const ledger = await db().ledgerEntry.findFirstOrThrow({ where: { auditLogId: bad.id, currency: "usd" } });
    expect(ledger.amountMicros).toBe(-7n);
    const after = await db().organization.findUniqueOrThrow({ where: { id: org.id } });
    expect(before.usdMicros - after.usdMicros).toBe(7n + good.costMicros);
    const text = logged.join("");
    expect(text).toContain(bad.id);
    expect(text).not.toContain("SECRET-PROMPT-TEXT");
  });
});
