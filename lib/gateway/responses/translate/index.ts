// The pure translation core of POST /v1/responses for upstreams without a native /v1/responses:
// Responses request → toChatRequest → the upstream's chat adapter → ChatCompletion / chunks →
// toResponse / responsesStreamTransformer → Response object / events. Not wired to a route yet.
export { toChatRequest } from "./request";
export { openReasoning, sealReasoning } from "./reasoning";
export { toResponse, usageToResponses, type ResponseContext } from "./response";
export { encodeResponsesEvent, responsesErrorEvent, responsesStreamTransformer, type SequenceCounter, type StreamContext } from "./stream";
export type { Protocol, TranslateOptions } from "./types";
