// Next bundles the instrumentation hook apart from the route handlers, so one module is evaluated
// twice in one process. Simulated here with two fresh module graphs (vi.resetModules): state kept
// through lib/process-state.ts is one per process, whichever copy of a module touches it.
import { afterEach, describe, expect, it, vi } from "vitest";
import { processState, resetProcessState } from "@/lib/process-state";

afterEach(() => resetProcessState("test.counter"));

async function freshCopy<T>(load: () => Promise<T>): Promise<T> {
  vi.resetModules();
  return load();
}

describe("processState", () => {
  it("creates a value once and hands the same object to every caller", () => {
    let made = 0;
    const a = processState("test.counter", () => ({ n: ++made }));
    const b = processState("test.counter", () => ({ n: ++made }));
    expect(a).toBe(b);
    expect(made).toBe(1);
  });

  it("is shared by two copies of the module (two bundles)", async () => {
    const one = await freshCopy(() => import("@/lib/process-state"));
    const two = await freshCopy(() => import("@/lib/process-state"));
    expect(one).not.toBe(two);
    expect(one.processState("test.counter", () => ({ n: 1 }))).toBe(two.processState("test.counter", () => ({ n: 2 })));
  });

  it("one audit queue for two bundles: a row recorded in one is pending in the other", async () => {
    const a = await freshCopy(() => import("@/lib/audit/writer"));
    const b = await freshCopy(() => import("@/lib/audit/writer"));
    expect(a).not.toBe(b);
    try {
      a.recordAudit({
        id: "aud_bundleshared00000000000000",
        orgId: "org_x", projectId: null, apiKeyId: null, origin: "api", endpoint: "chat", model: null, provider: null,
        status: "success", httpStatus: 200, errorCode: null, errorMessage: null, stream: false,
        promptTokens: 0, completionTokens: 0, reasoningTokens: 0, cachedTokens: 0, usageEstimated: false,
        latencyMs: 1, ttftMs: null, costMicros: 0n, creditsMicros: 0n, metadata: null, attempts: null, request: null, responseText: null, createdAt: new Date(),
      });
      expect(b.pendingAuditRows()).toBe(1);
      expect(b.auditRowPending("aud_bundleshared00000000000000")).toBe(true);
      expect(b.auditRowPending("aud_other000000000000000000000")).toBe(false);
    } finally {
      b.clearAuditQueueForTests();
    }
    expect(a.pendingAuditRows()).toBe(0);
  });

  it("one password-hash limit for two bundles (sign-up and sign-in are different route handlers)", async () => {
    const a = await freshCopy(() => import("@/lib/auth/password"));
    const b = await freshCopy(() => import("@/lib/auth/password"));
    const slots = processState("auth.passwordSlots", () => ({ running: -1, waiting: [] as (() => void)[] }));
    // Two hashes from one copy hold both slots; a third from the other copy waits for one of them.
    const hashes = [a.hashPassword("correct horse 1"), a.hashPassword("correct horse 2"), b.hashPassword("correct horse 3")];
    expect(slots.running).toBe(2);
    expect(slots.waiting.length).toBe(1);
    const done = await Promise.all(hashes);
    expect(done.every((h) => h.startsWith("scrypt$"))).toBe(true);
    expect(slots.running).toBe(0);
  });
});
