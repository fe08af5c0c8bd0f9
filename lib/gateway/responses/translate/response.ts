// An OpenAI chat.completion (what every adapter returns) → an OpenAI Response object.
import { ApiError } from "../../../errors";
import type { ChatCompletion, FinishReason, Usage } from "../../../providers/types";
import type { OutputItem, ResponseObject, ResponseStatus, ResponsesUsage } from "../../../wire/responses";
import { sealReasoning, thinkingBlocksOf, type ThinkingBlock } from "./reasoning";
import { namespacedNames } from "./tools";
import type { Req } from "./types";

/** A function_call item for an upstream call: a namespaced tool's call names its namespace apart. */
export function functionCall(ctx: ResponseContext, id: string, callId: string, upstreamName: string, args: string, status: "completed" | "in_progress"): Extract<OutputItem, { type: "function_call" }> {
  const ns = namespacedNames(ctx.request).get(upstreamName);
  const naming = ns ? { name: ns.name, namespace: ns.namespace } : { name: upstreamName };
  return { type: "function_call", id, call_id: callId, ...naming, arguments: args, status };
}

export interface ResponseContext {
  id: string; // resp_…
  model: string; // the id the client asked for
  createdAt: number; // unix seconds
  /** The client's request: the Response echoes its parameters, as OpenAI's does. */
  request: Req;
  /** Used when the upstream gave no usage (a function: tokenizing the prompt is not free). */
  inputTokens?: number | (() => number);
  outputEstimate?: () => number;
}

/** Item ids derived from the response id: unique per response, stable in tests. */
export function itemId(ctx: { id: string }, prefix: "msg" | "fc" | "rs", n: number): string {
  return `${prefix}_${ctx.id.replace(/^resp_/, "")}_${n}`;
}

export function usageToResponses(u: Usage): ResponsesUsage {
  return {
    input_tokens: u.prompt_tokens,
    input_tokens_details: { cached_tokens: u.prompt_tokens_details?.cached_tokens ?? 0 },
    output_tokens: u.completion_tokens,
    output_tokens_details: { reasoning_tokens: u.completion_tokens_details?.reasoning_tokens ?? 0 },
    total_tokens: u.total_tokens || u.prompt_tokens + u.completion_tokens,
  };
}

export function estimatedUsage(ctx: Pick<ResponseContext, "inputTokens" | "outputEstimate">): ResponsesUsage {
  const input = typeof ctx.inputTokens === "function" ? ctx.inputTokens() : (ctx.inputTokens ?? 0);
  const output = ctx.outputEstimate?.() ?? 0;
  return { input_tokens: input, input_tokens_details: { cached_tokens: 0 }, output_tokens: output, output_tokens_details: { reasoning_tokens: 0 }, total_tokens: input + output };
}

export function statusOf(finish: FinishReason | null): Pick<ResponseObject, "status" | "incomplete_details"> {
  if (finish === "length") return { status: "incomplete", incomplete_details: { reason: "max_output_tokens" } };
  if (finish === "content_filter") return { status: "incomplete", incomplete_details: { reason: "content_filter" } };
  return { status: "completed", incomplete_details: null };
}

/** reasoning_content (DeepSeek, our Gemini and Anthropic adapters), or `reasoning` (OpenRouter, newer vLLM). */
export function reasoningOf(o: Record<string, unknown>): string | undefined {
  const r = o.reasoning_content ?? o.reasoning;
  return typeof r === "string" ? r : undefined;
}

export const wantsEncrypted = (req: Req) => (req.include ?? []).includes("reasoning.encrypted_content");

export function reasoningItem(ctx: ResponseContext, n: number, text: string, blocks: ThinkingBlock[], status?: "completed" | "incomplete"): Extract<OutputItem, { type: "reasoning" }> {
  const item: Extract<OutputItem, { type: "reasoning" }> = { type: "reasoning", id: itemId(ctx, "rs", n), summary: text ? [{ type: "summary_text", text }] : [] };
  if (wantsEncrypted(ctx.request)) item.encrypted_content = sealReasoning(text, blocks);
  if (status) item.status = status;
  return item;
}

/** The Response object around `output`: the request's parameters echoed as OpenAI echoes them. */
export function responseObject(ctx: ResponseContext, status: ResponseStatus, output: OutputItem[], extra: Partial<ResponseObject> = {}): ResponseObject {
  const r = ctx.request;
  return {
    id: ctx.id,
    object: "response",
    created_at: ctx.createdAt,
    status,
    background: false,
    error: null,
    incomplete_details: null,
    instructions: r.instructions ?? null,
    max_output_tokens: r.max_output_tokens ?? null,
    model: ctx.model,
    output,
    parallel_tool_calls: r.parallel_tool_calls ?? true,
    previous_response_id: r.previous_response_id ?? null,
    reasoning: { effort: r.reasoning?.effort ?? null, summary: r.reasoning?.summary ?? r.reasoning?.generate_summary ?? null },
    store: r.store ?? true,
    temperature: r.temperature ?? 1,
    text: { format: r.text?.format ?? { type: "text" }, ...(r.text?.verbosity ? { verbosity: r.text.verbosity } : {}) },
    tool_choice: r.tool_choice ?? "auto",
    tools: r.tools ?? [],
    top_p: r.top_p ?? 1,
    truncation: r.truncation ?? "disabled",
    usage: null,
    user: r.user ?? null,
    metadata: r.metadata ?? {},
    ...extra,
  };
}

export function toResponse(completion: ChatCompletion, ctx: ResponseContext): ResponseObject {
  const choice = completion.choices.find((c) => c.index === 0) ?? completion.choices[0];
  if (!choice) throw new ApiError("upstream_error", "The upstream returned no choices.");
  const message = choice.message;
  const output: OutputItem[] = [];
  const reasoning = reasoningOf(message) ?? "";
  const blocks = thinkingBlocksOf(message);
  if (reasoning || blocks.length > 0) output.push(reasoningItem(ctx, output.length, reasoning, blocks));
  const { status, incomplete_details } = statusOf(choice.finish_reason);
  const itemStatus = status === "completed" ? "completed" : "incomplete";
  if (message.content) {
    output.push({ type: "message", id: itemId(ctx, "msg", output.length), role: "assistant", status: itemStatus, content: [{ type: "output_text", text: message.content, annotations: [], logprobs: [] }] });
  } else if (message.refusal) {
    output.push({ type: "message", id: itemId(ctx, "msg", output.length), role: "assistant", status: itemStatus, content: [{ type: "refusal", refusal: message.refusal }] });
  }
  for (const call of message.tool_calls ?? []) {
    // The id is kept byte-exact as call_id: Gemini's thought signatures ride inside it.
    output.push(functionCall(ctx, itemId(ctx, "fc", output.length), call.id, call.function.name, call.function.arguments || "{}", "completed"));
  }
  const usage = completion.usage ? usageToResponses(completion.usage) : estimatedUsage(ctx);
  return responseObject(ctx, status, output, { incomplete_details, usage });
}
