// /v1/embeddings on OpenAI and OpenAI-compatible servers: the same format, so the body passes through
// with the upstream model id, and the answer comes back under the client's model id.
import { z } from "zod";
import { ApiError } from "../../errors";
import type { EmbeddingsAdapter, EmbeddingsResponse } from "../capabilities";
import { mapUpstreamStatus, upstreamErrorMessage } from "../errors";
import { joinUrl } from "../url";

const count = z.number().nullish();
const answerSchema = z.looseObject({
  data: z.array(
    z.looseObject({
      index: z.number(),
      // Only the kind is checked here: the numbers of a batch (64 × 3072 of them) would cost milliseconds
      // of event loop per answer to check one by one. /v1 forwards them as sent; the gateway's own
      // use checks each one where it reads them (toVector in lib/upstream/internal.ts).
      embedding: z.custom<number[] | string>((v) => typeof v === "string" || Array.isArray(v)),
    }),
  ),
  usage: z.looseObject({ prompt_tokens: count, total_tokens: count }).nullish(),
});

export const openaiEmbeddings: EmbeddingsAdapter = {
  buildRequest(body, target) {
    const { vecstruct: _ext, ...rest } = body;
    return {
      url: joinUrl(target.baseUrl, ["embeddings"]),
      headers: { "content-type": "application/json", ...(target.apiKey ? { authorization: `Bearer ${target.apiKey}` } : {}) },
      body: { ...rest, model: target.upstreamModel },
      warnings: [],
    };
  },

  parseResponse(json, model): EmbeddingsResponse {
    const parsed = answerSchema.safeParse(json);
    if (!parsed.success) throw new ApiError("upstream_error", "The upstream answered with something that is not an embeddings list.");
    const usage = parsed.data.usage;
    const prompt = usage?.prompt_tokens ?? 0;
    const data = parsed.data.data.map((d) => ({ ...d, object: "embedding" as const }));
    return { object: "list", data, model, usage: { prompt_tokens: prompt, total_tokens: usage?.total_tokens ?? prompt } };
  },

  mapError: (status, body, provider) => mapUpstreamStatus(status, upstreamErrorMessage(body), provider),
};
