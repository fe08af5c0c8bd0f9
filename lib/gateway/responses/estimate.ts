// Money for a native /v1/responses request before and after the upstream (translated requests are
// bounded and estimated on the chat request they become): a prompt bound for the reservation (a
// token covers at least one byte; inline images and files at a per-image bound, never their base64
// bytes) and the tokenizer's count when an upstream reports no usage (a stream cut short).
import { maxOutputTokens } from "../../billing/chat";
import { countTokens } from "../../billing/tokens";
import type { CatalogModel } from "../../catalog/catalog";
import type { Usage } from "../../providers/types";
import type { ChatRequest } from "../../wire/chat";

const IMAGE_TOKEN_BOUND = 2_000; // as lib/billing/chat.ts: above any provider's per-image cost

/** What the model reads (instructions, items, tool definitions) as JSON text, inline data taken out. */
function promptText(body: Record<string, unknown>): { text: string; images: number } {
  let images = 0;
  const text = JSON.stringify([body.instructions ?? null, body.input ?? null, body.tools ?? null], (_key, value: unknown) => {
    if (typeof value === "string" && value.startsWith("data:")) {
      // A PDF is priced by its pages (text plus a page image): one image bound per 10 KB.
      images += value.startsWith("data:image/") ? 1 : Math.ceil((value.length * 3) / 4 / 10_000) + 1;
      return "";
    }
    return value;
  });
  return { text, images };
}

/** An upper bound of prompt tokens (hosted tool instructions included). */
export function responsesPromptBound(body: Record<string, unknown>): number {
  const { text, images } = promptText(body);
  return Buffer.byteLength(text) + images * IMAGE_TOKEN_BOUND + 32 + (Array.isArray(body.tools) && body.tools.length > 0 ? 600 : 0);
}

/** The output cap the request allows on this model. */
export function responsesOutputCap(body: { max_output_tokens?: number | null }, model: CatalogModel): number {
  return maxOutputTokens({ max_completion_tokens: body.max_output_tokens ?? undefined } as ChatRequest, model);
}

export function estimateResponsesUsage(body: Record<string, unknown>, generated: number): Usage {
  const { text, images } = promptText(body);
  const prompt = countTokens(text) + images * 765;
  return { prompt_tokens: prompt, completion_tokens: generated, total_tokens: prompt + generated };
}
