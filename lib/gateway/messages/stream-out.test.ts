// Held headers, the vecstruct event, and failures before and after the first content block.
import { describe, expect, it } from "vitest";
import { ApiError } from "../../errors";
import { startMessagesStream, type MessagesOut } from "./stream-out";

const ev = (type: string, extra: Record<string, unknown> = {}): MessagesOut => {
  const data = { type, ...extra };
  return { type, data, text: `event: ${type}\ndata: ${JSON.stringify(data)}\n\n` };
};

/** A source that yields the events, then (optionally) stalls forever. */
function source(events: MessagesOut[], stall = false): ReadableStream<MessagesOut> {
  let i = 0;
  return new ReadableStream({
    pull(c) {
      if (i < events.length) return c.enqueue(events[i++]!);
      if (stall) return new Promise(() => {});
      c.close();
    },
  });
}

async function text(s: ReadableStream<Uint8Array>): Promise<string> {
  return new Response(s).text();
}

const hooks = (onEnd: (e: ApiError | null) => unknown = () => null) => ({ idleMs: 200, firstByteMs: 200, abort: new AbortController(), onEvent: () => {}, onEnd });

const message = [
  ev("message_start", { message: { id: "msg_1" } }),
  ev("ping"),
  ev("content_block_start", { index: 0, content_block: { type: "text", text: "" } }),
  ev("content_block_delta", { index: 0, delta: { type: "text_delta", text: "hi" } }),
  ev("content_block_stop", { index: 0 }),
  ev("message_delta", { delta: { stop_reason: "end_turn" }, usage: { output_tokens: 1 } }),
  ev("message_stop"),
];

describe("startMessagesStream", () => {
  it("relays every event as it came, with event: vecstruct right before message_stop", async () => {
    let ended: ApiError | null | undefined;
    const out = await text(await startMessagesStream(source(message), hooks((e) => ((ended = e), { audit_id: "aud_x" }))));
    expect(out).toBe(message.slice(0, -1).map((e) => e.text).join("") + 'event: vecstruct\ndata: {"audit_id":"aud_x"}\n\n' + message.at(-1)!.text);
    expect(ended).toBeNull();
  });

  it("an upstream error event before any content is thrown (retryable), nothing is sent", async () => {
    const overloaded = ev("error", { error: { type: "overloaded_error", message: "Overloaded" } });
    const err = await startMessagesStream(source([message[0]!, message[1]!, overloaded]), hooks()).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect((err as ApiError).upstreamStatus).toBe(529);
  });

  it("a stall after content ends with our own Anthropic error event and no message_stop", async () => {
    let ended: ApiError | null | undefined;
    const out = await text(await startMessagesStream(source(message.slice(0, 4), true), hooks((e) => ((ended = e), null))));
    expect(out.endsWith('event: error\ndata: {"type":"error","error":{"type":"timeout_error","message":"The upstream stopped sending data (idle timeout)."}}\n\n')).toBe(true);
    expect(out).not.toContain("message_stop");
    expect(ended?.code).toBe("upstream_timeout");
  });

  it("a first-byte stall is a 504 before any header", async () => {
    const err = await startMessagesStream(source([], true), hooks()).catch((e: unknown) => e);
    expect((err as ApiError).code).toBe("upstream_timeout");
  });
});
