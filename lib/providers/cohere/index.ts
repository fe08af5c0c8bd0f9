// Cohere: rerank only (/v2/rerank). Its chat and embed APIs have formats of their own that no
// adapter converts yet, so a Cohere model can only be a rerank model in the catalog.
import type { Capabilities, RerankAdapter } from "../capabilities";
import { mapUpstreamStatus, upstreamErrorMessage } from "../errors";
import { parseRerankResponse, rerankRequestAt } from "./rerank";

const rerank: RerankAdapter = {
  buildRequest: (input, target) => rerankRequestAt(["v2", "rerank"], input, target),
  parseResponse: parseRerankResponse,
  mapError: (status, body, provider) => mapUpstreamStatus(status, upstreamErrorMessage(body), provider),
};

export const cohereCapabilities = { chat: null, embeddings: null, rerank, responses: null } as const satisfies Capabilities;
