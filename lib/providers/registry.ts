import type { Protocol } from "../catalog/providers";
import { anthropicAdapter } from "./anthropic";
import { googleAdapter } from "./google";
import { createOpenAIAdapter, openaiAdapter } from "./openai";
import type { ChatAdapter } from "./types";

const compatible = createOpenAIAdapter("openai-compatible");

/** The chat adapter of each upstream protocol; exhaustive, so a new protocol must choose. */
export function chatAdapterFor(protocol: Protocol): ChatAdapter | null {
  switch (protocol) {
    case "openai":
      return openaiAdapter;
    case "openai-compatible":
      return compatible;
    case "anthropic":
      return anthropicAdapter;
    case "google":
      return googleAdapter;
    case "cohere":
      return null; // rerank only
    default: {
      const unreachable: never = protocol;
      throw new Error(`unknown protocol ${String(unreachable)}`);
    }
  }
}
