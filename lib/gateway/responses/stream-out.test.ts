// The Responses stream to the client: held headers, the vecstruct payload inside response.completed,
// the store write before the terminal event, and failures before and after the first output item.
import { describe, expect, it } from "vitest";
import { ApiError } from "../../errors";
import { startEventStream, type OutEvent } from "../event-stream";
import { responsesEventDialect } from "./stream-out";
import { clientView, outputText, withoutEncrypted } from "./views";

let seq = 0;
const ev = (type: string, extra: Record<string, unknown> = {}): OutEvent => {
  const data = { type, ...extra, sequence_number: seq++ };
  return { type, data, text: `event: ${type}\ndata: ${JSON.stringify(data)}\n\n` };
};

function source(events: OutEvent[], stall = false): ReadableStream<OutEvent> {
  let i = 0;
  return new ReadableStream({
    pull(c) {
      if (i < events.length) return c.enqueue(events[i++]!);
      if (stall) return new Promise(() => {});
      c.close();
    },
  });
}

const parse = (text: string) =>
  text
    .split("\n\n")
    .filter(Boolean)
    .map((b) => JSON.parse(b.split("\n").find((l) => l.startsWith("data: "))!.slice(6)) as Record<string, unknown> & { type: string; sequence_number: number; response?: Record<string, unknown> });

const hooks = (extra: Record<string, unknown> = {}) => ({ idleMs: 200, firstByteMs: 200, abort: new AbortController(), onEvent: () => {}, onEnd: () => null, ...extra });

function answer(): OutEvent[] {
  seq = 0;
  const item = { type: "message", id: "msg_1", role: "assistant", status: "completed", content: [{ type: "output_text", text: "hi", annotations: [] }] };
  return [
    ev("response.created", { response: { id: "resp_1", status: "in_progress", output: [] } }),
    ev("response.in_progress", { response: { id: "resp_1", status: "in_progress", output: [] } }),
    ev("response.output_item.added", { output_index: 0, item: { ...item, status: "in_progress", content: [] } }),
    ev("response.output_text.delta", { output_index: 0, item_id: "msg_1", content_index: 0, delta: "hi" }),
    ev("response.output_item.done", { output_index: 0, item }),
    ev("response.completed", { response: { id: "resp_1", status: "completed", output: [item] } }),
  ];
}

describe("the Responses event stream", () => {
  it("relays the events and puts vecstruct on response.completed's response after the store write", async () => {
    const order: string[] = [];
    const out = await startEventStream(source(answer()), responsesEventDialect({ next: 0 }), {
      ...hooks(),
      beforeEnd: async (e: OutEvent) => {
        order.push(`store ${String((e.data.response as { id: string }).id)}`);
        return e;
      },
      onEnd: () => (order.push("end"), { audit_id: "a1" }),
    });
    const events = parse(await new Response(out).text());
    expect(events.map((e) => e.type)).toEqual(["response.created", "response.in_progress", "response.output_item.added", "response.output_text.delta", "response.output_item.done", "response.completed"]);
    expect(events.at(-1)!.response?.vecstruct).toEqual({ audit_id: "a1" });
    expect(events.map((e) => e.sequence_number)).toEqual([0, 1, 2, 3, 4, 5]);
    expect(order).toEqual(["store resp_1", "end"]);
  });

  it("an upstream error event before any output is an error the router can retry", async () => {
    seq = 0;
    const events = [ev("response.created", { response: { id: "r" } }), ev("error", { code: "rate_limit_exceeded", message: "slow down" })];
    const err = (await startEventStream(source(events), responsesEventDialect({ next: 0 }), hooks()).catch((e: unknown) => e)) as ApiError;
    expect(err).toBeInstanceOf(ApiError);
    expect(err.upstreamStatus).toBe(429);
    seq = 0;
    const failed = [ev("response.created", { response: { id: "r" } }), ev("response.failed", { response: { id: "r", error: { code: "server_error", message: "boom" } } })];
    const err2 = (await startEventStream(source(failed), responsesEventDialect({ next: 0 }), hooks()).catch((e: unknown) => e)) as ApiError;
    expect(err2.upstreamStatus).toBe(500);
  });

  it("a stall after the first output ends with one error event numbered after the last one sent", async () => {
    const counter = { next: 4 };
    let ended: ApiError | null = null;
    const out = await startEventStream(source(answer().slice(0, 4), true), responsesEventDialect(counter), hooks({ onEnd: (e: ApiError | null) => ((ended = e), null) }));
    const events = parse(await new Response(out).text());
    expect(events.at(-1)).toMatchObject({ type: "error", code: "upstream_timeout", sequence_number: 4 });
    expect(ended).toBeInstanceOf(ApiError);
  });
});

describe("client views of a stored response", () => {
  const sealed = { type: "reasoning", id: "rs_1", summary: [], encrypted_content: "vecstruct.abc" };
  const response = { id: "resp_1", output: [sealed, { type: "message", content: [{ type: "output_text", text: "a" }, { type: "output_text", text: "b" }] }] };

  it("hides sealed reasoning unless the client included it", () => {
    expect((clientView(response, false).output as Record<string, unknown>[])[0]).toEqual({ type: "reasoning", id: "rs_1", summary: [] });
    expect(clientView(response, true)).toBe(response);
    const e = { type: "response.completed", data: { type: "response.completed", response }, text: "" };
    expect(withoutEncrypted(e, false).text).not.toContain("encrypted_content");
    expect(outputText(response)).toBe("ab");
  });
});
