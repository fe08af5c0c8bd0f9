import { afterEach, describe, expect, it } from "vitest";
import { ApiError } from "../errors";
import { admitBody, bodyAdmissionState, setBodyAdmissionBudgetForTests } from "./body-admission";

const MB = 1024 * 1024;
const original = bodyAdmissionState().budget;
afterEach(() => setBodyAdmissionBudgetForTests(original));

describe("admitBody", () => {
  it("never holds small bodies, and admits a large body that is alone whatever its size", async () => {
    setBodyAdmissionBudgetForTests(1 * MB);
    const small = await admitBody(100 * 1024, 50);
    expect(bodyAdmissionState().inUse).toBe(0);
    small();
    const alone = await admitBody(10 * MB, 50);
    expect(bodyAdmissionState().inUse).toBe(80 * MB);
    alone();
    alone();
    expect(bodyAdmissionState().inUse).toBe(0);
  });

  it("queues large bodies FIFO while the budget is spent and admits them as shares are freed", async () => {
    setBodyAdmissionBudgetForTests(100 * MB);
    const first = await admitBody(10 * MB, 1_000);
    const order: string[] = [];
    const second = admitBody(10 * MB, 1_000).then((r) => (order.push("second"), r));
    const third = admitBody(1 * MB, 1_000).then((r) => (order.push("third"), r));
    await new Promise((r) => setTimeout(r, 20));
    expect(order).toEqual([]);
    expect(bodyAdmissionState().queued).toBe(2);
    first();
    (await second)();
    (await third)();
    expect(order).toEqual(["second", "third"]);
    expect(bodyAdmissionState()).toMatchObject({ inUse: 0, queued: 0 });
  });

  it("answers 503 with Retry-After after the queue timeout, and the queue moves on", async () => {
    setBodyAdmissionBudgetForTests(100 * MB);
    const held = await admitBody(10 * MB, 1_000);
    const err = await admitBody(10 * MB, 30).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect((err as ApiError).status).toBe(503);
    expect((err as ApiError).headers["retry-after"]).toBe("1");
    expect(bodyAdmissionState().queued).toBe(0);
    held();
    (await admitBody(10 * MB, 30))();
  });
});
