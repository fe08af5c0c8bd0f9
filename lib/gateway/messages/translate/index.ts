// The pure translation core of POST /v1/messages for non-Anthropic upstreams:
// Anthropic request → toChatRequest → the upstream's chat adapter → ChatCompletion / chunks →
// toAnthropicMessage / messagesStreamTransformer → Anthropic response / events.
export { toChatRequest } from "./request";
export { toAnthropicMessage, usageToAnthropic, type MessageContext } from "./response";
export { encodeMessagesEvent, messagesStreamTransformer, type StreamContext } from "./stream";
export type { Protocol, TranslateOptions } from "./types";

/** `thinking.display: "omitted"` (Claude Code sends it): pass as `omitThinking` to the response side. */
export function omitsThinking(req: { thinking?: unknown }): boolean {
  return (req.thinking as { display?: unknown } | null | undefined)?.display === "omitted";
}
