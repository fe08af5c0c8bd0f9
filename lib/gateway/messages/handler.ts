// POST /v1/messages: the pipeline hands over a parsed, admitted Anthropic Messages request; here
// RAG → memory → invoke() (reserve → route → native or translated attempt → price → settle) → the
// message or its stream back, in Anthropic's wire format. Each attempt picks its path by the
// candidate's protocol, so fallbacks (`models`, `provider`) may cross protocols.
import { GeneratedTokens, worstCaseMicros } from "../../billing/chat";
import { env } from "../../env";
import { randomBase62 } from "../../crypto";
import type { Usage } from "../../providers/types";
import { totalDeadline } from "../../upstream/call";
import { invoke, pricedStreamEnd, type Target } from "../../upstream/invoke";
import { planRoute } from "../../upstream/routing/plan";
import { messagesRequestSchema } from "../../wire/messages";
import { extensionPayload } from "../chat";
import { learnAfterReply } from "../memory";
import { auditHeaders, endpoint } from "../pipeline";
import { applyMessagesContext, textView } from "./context";
import { messagesDialect } from "./dialect";
import { estimateMessagesUsage, messagesPromptBound } from "./estimate";
import { nativeJsonAttempt, nativeStreamAttempt, NativeStreamState } from "./native";
import { startMessagesStream, type MessagesOut } from "./stream-out";
import { translatedJsonAttempt, translatedStreamAttempt, translatedWorstCase, messagesTranslations } from "./translated";

const SSE_HEADERS = { "content-type": "text/event-stream; charset=utf-8", "cache-control": "no-cache", connection: "keep-alive", "x-accel-buffering": "no" };

/** What one attempt produced: a whole message, or a stream already past its first content. */
interface Outcome {
  message: Record<string, unknown> | null;
  usage: Usage | null;
  text: string;
  sse: ReadableStream<Uint8Array> | null;
  warnings: string[];
}

/** Text for the audit row and the count of everything generated (for a stream without usage). */
function account(e: MessagesOut, appendText: (t: string) => void, generated: GeneratedTokens, markFirst: () => void): void {
  if (e.type === "content_block_start") {
    markFirst();
    const block = e.data.content_block as { type?: unknown; text?: unknown } | undefined;
    if (block?.type === "text" && typeof block.text === "string") appendText(block.text);
    return;
  }
  if (e.type !== "content_block_delta") return;
  const d = e.data.delta as { type?: unknown; text?: unknown; thinking?: unknown; partial_json?: unknown } | undefined;
  if (d?.type === "text_delta" && typeof d.text === "string") {
    appendText(d.text);
    generated.add(0, d.text);
  } else if (d?.type === "thinking_delta" && typeof d.thinking === "string") generated.add(0, d.thinking);
  else if (d?.type === "input_json_delta" && typeof d.partial_json === "string") generated.add(0, d.partial_json);
}

export const handleMessages = endpoint("/v1/messages", messagesDialect(messagesRequestSchema), async ({ key, audit, body, raw, project, abort, warnings, headers, url, guard }) => {
  const e = env();
  // Input guardrails ran in the pipeline; output rules apply to JSON answers here (streams: not yet, docs/policies.md).
  if (guard?.checksOutput && body.stream === true) warnings.push("guardrails: output rules are not applied to /v1/messages streams yet");
  const candidates = await planRoute(key, body.model, "chat", { models: body.models, provider: body.provider }, project.routing);
  audit.provider = candidates[0]!.model.provider;
  audit.catalogModel = candidates[0]!.model.id;

  // The client's body as sent, minus our own fields: what a native upstream receives.
  const { vecstruct: _ext, models: _fallbacks, provider: _prefs, ...clientBody } = raw;
  const vecstruct = body.vecstruct;
  const context = await applyMessagesContext(clientBody as typeof body, vecstruct, project, audit, warnings);
  const request = context.request as Record<string, unknown> & typeof body;
  const learn = () => {
    if (!context.memoryUser) return;
    const model = project.memoryModel ?? e.VECSTRUCT_MEMORY_MODEL ?? null;
    learnAfterReply({ orgId: key.orgId, projectId: project.id, userId: context.memoryUser, auditId: audit.id, messages: textView(body), model, reply: audit.responseText });
  };
  const payload = () => extensionPayload(audit, warnings, context.ragSources);

  const stream = body.stream === true;
  const id = `msg_${randomBase62(24)}`;
  const client = { headers, url };
  const deadline = totalDeadline(abort, e.VECSTRUCT_UPSTREAM_TOTAL_TIMEOUT_MS);
  const promptBound = messagesPromptBound(request);
  const translations = messagesTranslations(request, headers);

  const streamOut = async (target: Target, events: ReadableStream<MessagesOut>, usageOf: () => { usage: Usage | null; exact: boolean }, attemptWarnings: string[]): Promise<Outcome> => {
    const generated = new GeneratedTokens();
    const sse = await startMessagesStream(events, {
      idleMs: e.VECSTRUCT_UPSTREAM_IDLE_TIMEOUT_MS,
      firstByteMs: e.VECSTRUCT_UPSTREAM_FIRST_BYTE_TIMEOUT_MS,
      abort: target.abort,
      onEvent: (ev) => account(ev, (t) => audit.appendText(t), generated, () => audit.markFirstToken()),
      onEnd: (error) => {
        deadline.clear();
        target.finish(pricedStreamEnd(usageOf(), generated.total(), (n) => estimateMessagesUsage(request, n)), error ?? undefined);
        if (!error) learn();
        return vecstruct ? payload() : null;
      },
    });
    return { message: null, usage: null, text: "", sse, warnings: attemptWarnings };
  };

  const native = async (target: Target): Promise<Outcome> => {
    if (!stream) return { ...(await nativeJsonAttempt(audit, request, target, client)), sse: null, warnings: [] };
    const state = new NativeStreamState();
    const events = (await nativeStreamAttempt(audit, request, target, client)).pipeThrough(
      new TransformStream<MessagesOut, MessagesOut>({
        transform(ev, c) {
          state.observe(ev);
          c.enqueue(ev);
        },
      }),
    );
    return streamOut(target, events, () => ({ usage: state.billable(), exact: state.final }), []);
  };

  const translated = async (target: Target): Promise<Outcome> => {
    if (!stream) return { ...(await translatedJsonAttempt(audit, request, target, id, translations)), sse: null };
    const t = await translatedStreamAttempt(audit, request, target, id, translations);
    return streamOut(target, t.events, () => ({ usage: t.usage(), exact: t.usage() !== null }), t.warnings);
  };

  const invoked = await invoke<Outcome>({
    audit,
    key,
    abort,
    candidates,
    // Worst case over every candidate: the prompt bound at the dearer of input and cache-write
    // prices plus max_tokens (thinking included), or what a translation really sends upstream.
    worstCase: (c) => {
      const own = worstCaseMicros(c.model, promptBound, body.max_tokens);
      const other = c.credentials.some((p) => p.protocol !== "anthropic") ? translatedWorstCase(translations, c) : 0n;
      return own > other ? own : other;
    },
    credits: context.credits,
    attempt: (target) => (target.provider.protocol === "anthropic" ? native(target) : translated(target)),
    price: (outcome) => {
      if (outcome.sse) return null; // a stream: settled at its end
      deadline.clear();
      if (guard?.checksOutput && outcome.message) {
        outcome.message = guard.anthropicMessage(outcome.message);
        outcome.text = (outcome.message.content as { type?: unknown; text?: unknown }[]).map((b) => (b.type === "text" && typeof b.text === "string" ? b.text : "")).join("");
        guard.report();
      }
      audit.appendText(outcome.text);
      return outcome.usage ? { usage: outcome.usage, estimated: false } : { usage: estimateMessagesUsage(request, 0), estimated: true };
    },
  }).catch((err: unknown) => {
    deadline.clear();
    throw err;
  });

  warnings.push(...invoked.result.warnings);
  const out = { ...auditHeaders(audit, warnings), "request-id": audit.id };
  if (invoked.result.sse) return new Response(invoked.result.sse, { status: 200, headers: { ...out, ...SSE_HEADERS } });
  learn();
  return Response.json({ ...invoked.result.message!, vecstruct: payload() }, { headers: out });
});
