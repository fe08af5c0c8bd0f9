// A Messages stream to the client (lib/gateway/event-stream.ts with Anthropic's events): headers wait
// for the first content block (or a message that ends without one); a later failure is one Anthropic
// `event: error`. `event: vecstruct` goes right before `message_stop` when the request carried a
// `vecstruct` object (the Anthropic SDKs ignore unknown events).
import { startEventStream, type EventDialect, type EventStreamHooks, type OutEvent } from "../event-stream";
import { anthropicErrorEvent, upstreamStreamError } from "./errors";

export type MessagesOut = OutEvent;
export type MessagesStreamHooks = EventStreamHooks;

const MESSAGES: EventDialect = {
  starts: new Set(["content_block_start", "message_delta", "message_stop"]),
  ends: new Set(["message_stop"]),
  upstreamError: (e) => (e.type === "error" ? upstreamStreamError(e.data) : null),
  errorEvent: anthropicErrorEvent,
  finalText: (e, extension) => (extension !== null ? `event: vecstruct\ndata: ${JSON.stringify(extension)}\n\n${e.text}` : e.text),
};

export function startMessagesStream(events: ReadableStream<MessagesOut>, hooks: MessagesStreamHooks): Promise<ReadableStream<Uint8Array>> {
  return startEventStream(events, MESSAGES, hooks);
}
