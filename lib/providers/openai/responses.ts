// OpenAI's own /v1/responses, served natively: the client's Responses body goes upstream with only
// `model` rewritten; the answer is read loosely (what the gateway needs: output, usage, status) and
// otherwise relayed as the upstream sent it.
import { z } from "zod";
import type { ResponsesAdapter } from "../capabilities";
import { mapUpstreamStatus, upstreamErrorMessage } from "../errors";
import type { Usage } from "../types";
import { joinUrl } from "../url";

const count = z.number().int().nonnegative().nullish();
export const responsesUsageSchema = z.looseObject({
  input_tokens: count,
  output_tokens: count,
  total_tokens: count,
  input_tokens_details: z.looseObject({ cached_tokens: count }).nullish(),
  output_tokens_details: z.looseObject({ reasoning_tokens: count }).nullish(),
});
/** A Response object as the gateway reads it (the rest passes through untouched). */
export const responseObjectSchema = z.looseObject({
  object: z.literal("response"),
  status: z.string().nullish(),
  output: z.array(z.looseObject({ type: z.string() })),
  usage: responsesUsageSchema.nullish(),
});

/** Responses usage → the chat usage every price and audit row is written in. */
export function responsesUsageToChat(u: z.infer<typeof responsesUsageSchema>): Usage {
  const prompt = u.input_tokens ?? 0;
  const completion = u.output_tokens ?? 0;
  const usage: Usage = { prompt_tokens: prompt, completion_tokens: completion, total_tokens: u.total_tokens ?? prompt + completion };
  const cached = u.input_tokens_details?.cached_tokens;
  if (cached) usage.prompt_tokens_details = { cached_tokens: cached };
  const reasoning = u.output_tokens_details?.reasoning_tokens;
  if (reasoning) usage.completion_tokens_details = { reasoning_tokens: reasoning };
  return usage;
}

export const openaiResponses: ResponsesAdapter = {
  buildRequest(body, target, { stream }) {
    return {
      url: joinUrl(target.baseUrl, ["responses"]),
      headers: {
        "content-type": "application/json",
        ...(target.apiKey ? { authorization: `Bearer ${target.apiKey}` } : {}),
        ...(stream ? { accept: "text/event-stream" } : {}),
      },
      body: { ...body, model: target.upstreamModel },
      warnings: [],
    };
  },
  mapError: (status, body) => mapUpstreamStatus(status, upstreamErrorMessage(body), "openai"),
};
