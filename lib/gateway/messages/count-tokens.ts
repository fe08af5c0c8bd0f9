// POST /v1/messages/count_tokens → `{"input_tokens": n}`, as Anthropic answers it. An Anthropic-protocol
// model asks its upstream (/v1/messages/count_tokens, body and beta headers as sent, `model`
// rewritten); an upstream without that route (404) and every other protocol are counted with our
// tokenizer on the request as the upstream would receive it. Audited (one row, endpoint
// /v1/messages/count_tokens, no tokens and no cost: counting is free, and it does not use the key's
// token-per-minute budget); the key's rpm limit and model allow-list apply as on /v1/messages.
import { ApiError } from "../../errors";
import { readUpstreamJson, callUpstream } from "../../upstream/call";
import { invoke } from "../../upstream/invoke";
import { planRoute } from "../../upstream/routing/plan";
import { mapAnthropicError } from "../../providers/anthropic/error";
import { countTokensRequestSchema } from "../../wire/messages";
import { auditHeaders, endpoint } from "../pipeline";
import { messagesDialect } from "./dialect";
import { nativeRequest } from "./native";
import { messagesPromptTokens } from "./estimate";
import { translatedPromptTokens } from "./translated";

const ZERO = { usage: { prompt_tokens: 0, completion_tokens: 0, total_tokens: 0 }, estimated: false };

export const handleCountTokens = endpoint("/v1/messages/count_tokens", messagesDialect(countTokensRequestSchema), async ({ key, audit, body, raw, abort, warnings, headers, url }) => {
  // Retrieval and memory cost credits and change the prompt: counting does neither (said, not ignored).
  for (const param of ["rag", "use_memory"] as const) {
    if (body.vecstruct?.[param]) throw new ApiError("unsupported_parameter", `vecstruct.${param} is not supported on /v1/messages/count_tokens.`, { param: `vecstruct.${param}` });
  }
  // The model itself: fallbacks would count for another model than the one named.
  const [candidate] = await planRoute(key, body.model, "chat", {}, {});
  const model = candidate!.model;
  const { vecstruct: _ext, models: _fallbacks, provider: _prefs, ...clientBody } = raw;
  let count: number | null = null;
  if (candidate!.credentials[0]?.protocol === "anthropic") {
    const invoked = await invoke<number | null>({
      audit,
      key,
      abort,
      candidates: [candidate!],
      worstCase: () => 0n,
      attempt: async (target) => {
        try {
          const res = await callUpstream({ audit, abort: target.abort }, target.model, nativeRequest(clientBody, target, { headers, url }, "/count_tokens"), mapAnthropicError, target.provider);
          const answer = (await readUpstreamJson(res, target.abort)) as { input_tokens?: unknown } | null;
          if (typeof answer?.input_tokens !== "number") throw new ApiError("upstream_error", "The anthropic upstream answered count_tokens without input_tokens.");
          return answer.input_tokens;
        } catch (err) {
          if (err instanceof ApiError && err.upstreamStatus === 404) return null; // no count_tokens route there
          throw err;
        }
      },
      price: () => ZERO,
    });
    count = invoked.result;
  }
  if (count === null) {
    const protocol = candidate!.credentials[0]!.protocol;
    // An Anthropic upstream without count_tokens: the request as it is, counted by the tokenizer.
    count = protocol === "anthropic" ? messagesPromptTokens(clientBody as typeof body) : translatedPromptTokens(clientBody as unknown as Parameters<typeof translatedPromptTokens>[0], model, protocol, headers, warnings);
    if (audit.attempts.length > 0) warnings.push("count_tokens: the upstream has no count_tokens route; counted with vecstruct's tokenizer.");
    audit.resolveModel(model.id);
    audit.provider = model.provider;
    audit.usage = ZERO.usage;
    audit.success();
  }
  return Response.json({ input_tokens: count }, { headers: { ...auditHeaders(audit, warnings), "request-id": audit.id } });
});
