// lib/invocation.ts: what a serverless invocation finishes before it ends (VERCEL=1), in which order.
import { describe, expect, it } from "vitest";
import { finishAfterResponse, finishInvocation, onInvocationEnd, track } from "@/lib/invocation";

describe("invocation finishers", () => {
  it("waits for tracked work, then runs the stages in order (jobs → audit → telemetry), each name once", async () => {
    const order: string[] = [];
    onInvocationEnd("test.telemetry", "telemetry", async () => void order.push("telemetry"));
    onInvocationEnd("test.audit", "audit", async () => void order.push("audit"));
    onInvocationEnd("test.jobs", "jobs", async () => void order.push("jobs"));
    // A second registration of a name (another bundle's copy of the module) is ignored.
    onInvocationEnd("test.jobs", "jobs", async () => void order.push("jobs again"));
    let mailSent = false;
    track(new Promise<void>((r) => setTimeout(() => r(), 30)).then(() => void (mailSent = true)));
    await finishInvocation(1_000);
    expect(mailSent).toBe(true);
    const mine = order.filter((o) => o === "jobs" || o === "jobs again" || o === "audit" || o === "telemetry");
    expect(mine).toEqual(["jobs", "audit", "telemetry"]);
  });

  it("a failing finisher does not keep the others from running", async () => {
    const ran: string[] = [];
    onInvocationEnd("test.failing", "jobs", async () => {
      throw new Error("database down");
    });
    onInvocationEnd("test.after-failing", "audit", async () => void ran.push("audit"));
    await finishInvocation(1_000);
    expect(ran).toEqual(["audit"]);
  });

  it("passes the deadline of the budget", async () => {
    let seen = 0;
    onInvocationEnd("test.deadline", "telemetry", async (deadline) => void (seen = deadline));
    const before = Date.now();
    await finishInvocation(5_000);
    expect(seen).toBeGreaterThanOrEqual(before + 5_000);
    expect(seen).toBeLessThan(before + 6_000);
  });

  it("does nothing self-hosted (no VERCEL): no after() is asked for outside a request", () => {
    expect(() => finishAfterResponse()).not.toThrow();
  });
});
