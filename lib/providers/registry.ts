// Which capability each upstream protocol serves, from the declarations of the provider folders.
// Exhaustive: a protocol added to PROTOCOLS (lib/catalog/providers.ts) fails the build until it has
// an entry here.
import type { Protocol } from "../catalog/providers";
import { ApiError } from "../errors";
import { anthropicCapabilities } from "./anthropic";
import type { Capabilities, EmbeddingsAdapter, RerankAdapter, ResponsesAdapter } from "./capabilities";
import { cohereCapabilities } from "./cohere";
import { googleCapabilities } from "./google";
import { compatibleCapabilities, openaiCapabilities } from "./openai";
import type { ChatAdapter } from "./types";

const REGISTRY = {
  openai: openaiCapabilities,
  "openai-compatible": compatibleCapabilities,
  anthropic: anthropicCapabilities,
  google: googleCapabilities,
  cohere: cohereCapabilities,
} as const satisfies Record<Protocol, Capabilities>;

// `satisfies` refuses a missing or unknown key; this states the same for readers (and for a Protocol
// type widened to string, where `satisfies Record` would pass).
type Unregistered = Exclude<Protocol, keyof typeof REGISTRY>;
const exhaustive: [Unregistered] extends [never] ? true : Unregistered = true;
void exhaustive;

/** What `protocol` serves; a protocol no declaration names (a bad database row) is a bug, not a 400. */
export function capabilitiesOf(protocol: Protocol): Capabilities {
  if (!Object.hasOwn(REGISTRY, protocol)) throw new Error(`unknown protocol ${String(protocol)}`);
  return REGISTRY[protocol];
}

/** The chat adapter of a protocol, null when it serves no chat (cohere). */
export function chatAdapterFor(protocol: Protocol): ChatAdapter | null {
  return capabilitiesOf(protocol).chat;
}

/** The embeddings conversion; a protocol without one is the client's model choice, so a 400 naming it. */
export function embeddingsAdapterFor(protocol: Protocol): EmbeddingsAdapter {
  const adapter = capabilitiesOf(protocol).embeddings;
  if (!adapter) throw new ApiError("invalid_value", `The ${protocol} provider does not serve /v1/embeddings here.`, { param: "model" });
  return adapter;
}

export function rerankAdapterFor(protocol: Protocol): RerankAdapter {
  const adapter = capabilitiesOf(protocol).rerank;
  if (!adapter) throw new ApiError("invalid_value", `The ${protocol} provider does not serve /v1/rerank.`, { param: "model" });
  return adapter;
}

/** OpenAI's Responses API where the protocol serves it natively, else null (the request is translated). */
export function responsesAdapterFor(protocol: Protocol): ResponsesAdapter | null {
  return capabilitiesOf(protocol).responses;
}
