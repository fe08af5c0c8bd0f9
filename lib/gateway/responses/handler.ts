// POST /v1/responses: the pipeline hands over a parsed, admitted OpenAI Responses request; here
// state (previous_response_id) → RAG → memory → invoke() (reserve → route → native or translated
// attempt → price → settle) → the Response object or its stream back, stored when `store` allows.
// Each attempt picks its path by the candidate's protocol, so fallbacks may cross protocols.
import { GeneratedTokens, worstCaseMicros } from "../../billing/chat";
import { randomBase62 } from "../../crypto";
import { env } from "../../env";
import { log } from "../../log";
import { responsesAdapterFor } from "../../providers/registry";
import type { Usage } from "../../providers/types";
import { totalDeadline } from "../../upstream/call";
import { invoke, pricedStreamEnd, type Target } from "../../upstream/invoke";
import { planRoute } from "../../upstream/routing/plan";
import type { ResponsesRequestWithExtension } from "../../wire/responses";
import { extensionPayload } from "../chat";
import { gatherContext } from "../context";
import { startEventStream, type OutEvent } from "../event-stream";
import { learnAfterReply } from "../memory";
import { auditHeaders, endpoint } from "../pipeline";
import { textView, withInstructions } from "./context";
import { responsesDialect } from "./dialect";
import { estimateResponsesUsage, responsesOutputCap, responsesPromptBound } from "./estimate";
import { nativeJsonAttempt, nativeStreamAttempt, NativeStreamState } from "./native";
import { forOpenAI, history, inputItems } from "./state";
import { saveResponse } from "./store";
import { responsesEventDialect } from "./stream-out";
import type { SequenceCounter } from "./translate";
import { translatedJsonAttempt, translatedStreamAttempt, responsesTranslations } from "./translated";
import { clientView, outputText, withoutEncrypted } from "./views";
import { estimateUsage } from "../../billing/chat";

const SSE_HEADERS = { "content-type": "text/event-stream; charset=utf-8", "cache-control": "no-cache", connection: "keep-alive", "x-accel-buffering": "no" };

/** What one attempt produced: a whole Response object, or a stream already past its first output. */
interface Outcome {
  response: Record<string, unknown> | null;
  usage: Usage | null;
  sse: ReadableStream<Uint8Array> | null;
  warnings: string[];
}

const DELTAS = new Set(["response.function_call_arguments.delta", "response.reasoning_summary_text.delta", "response.reasoning_text.delta", "response.refusal.delta"]);

/** Text for the audit row and the count of everything generated (for a stream without usage). */
function account(e: OutEvent, appendText: (t: string) => void, generated: GeneratedTokens, markFirst: () => void): void {
  if (e.type === "response.output_item.added") return markFirst();
  const delta = e.data.delta;
  if (typeof delta !== "string") return;
  if (e.type === "response.output_text.delta") {
    appendText(delta);
    generated.add(0, delta);
  } else if (DELTAS.has(e.type)) generated.add(0, delta);
}

type Req = ResponsesRequestWithExtension;

export const handleResponses = endpoint("/v1/responses", responsesDialect, async ({ key, audit, body, raw, project, abort, warnings, guard }) => {
  const e = env();
  // Input guardrails ran in the pipeline; output rules apply to JSON answers here (streams: not yet, docs/policies.md).
  if (guard?.checksOutput && body.stream === true) warnings.push("guardrails: output rules are not applied to /v1/responses streams yet");
  const candidates = await planRoute(key, body.model, "chat", { models: body.models, provider: body.provider }, project.routing);
  audit.provider = candidates[0]!.model.provider;
  audit.catalogModel = candidates[0]!.model.id;

  // The client's body as sent, minus our own fields: what a native upstream receives.
  const { vecstruct: _ext, models: _fallbacks, provider: _prefs, previous_response_id: _previous, ...clientBody } = raw;
  const vecstruct = body.vecstruct;
  const scope = { orgId: key.orgId, projectId: project.id };
  const previousId = body.previous_response_id ?? null;
  const stored = body.store !== false && !project.keepMetadataOnly;
  if (body.store !== false && project.keepMetadataOnly) {
    warnings.push("This project keeps metadata only: the response was not stored (it cannot be retrieved or continued with previous_response_id).");
  }
  const before = await history(scope, previousId);
  const own = inputItems(body.input);
  const context = await gatherContext(() => textView([...before, ...own]), vecstruct, project, audit, warnings);
  const instructions = withInstructions(body.instructions, context.texts);
  const conversation = before.length > 0 ? [...before, ...own] : body.input;
  const learn = () => {
    if (!context.memoryUser) return;
    const model = project.memoryModel ?? e.VECSTRUCT_MEMORY_MODEL ?? null;
    learnAfterReply({ orgId: key.orgId, projectId: project.id, userId: context.memoryUser, auditId: audit.id, messages: textView(own), model, reply: audit.responseText });
  };
  const payload = () => extensionPayload(audit, warnings, context.ragSources);

  // The whole conversation, for a translated upstream; the client's request otherwise.
  const translatedRequest = { ...clientBody, input: conversation, instructions } as Req;
  const nativeBody: Record<string, unknown> = { ...clientBody, ...(before.length > 0 ? { input: [...forOpenAI(before, warnings), ...own] } : {}) };
  if (instructions != null) nativeBody.instructions = instructions;
  // A stored response keeps what its continuation needs (sealed reasoning), whatever the client asked to see.
  const clientWantsEncrypted = (body.include ?? []).includes("reasoning.encrypted_content");
  const echo = { ...clientBody, previous_response_id: previousId, ...(stored && !clientWantsEncrypted ? { include: [...(body.include ?? []), "reasoning.encrypted_content"] } : {}) } as Req;
  const shape = { id: `resp_${randomBase62(40)}`, createdAt: Math.floor(Date.now() / 1000), echo, reveal: clientWantsEncrypted };
  const translations = responsesTranslations(translatedRequest);

  /** Saves a finished response (awaited: a previous_response_id right after must find it). */
  const save = async (response: Record<string, unknown>) => {
    if (!stored) return;
    try {
      await saveResponse(scope, { id: String(response.id), auditId: audit.id, model: String(response.model), response, input: [...before, ...own] });
    } catch (err) {
      log.error("a response could not be stored", { audit_id: audit.id }, err);
      warnings.push("The response could not be stored; it cannot be retrieved or continued with previous_response_id.");
    }
  };
  const view = (response: Record<string, unknown>) => clientView(response, clientWantsEncrypted);

  const stream = body.stream === true;
  const deadline = totalDeadline(abort, e.VECSTRUCT_UPSTREAM_TOTAL_TIMEOUT_MS);

  const streamOut = async (target: Target, events: ReadableStream<OutEvent>, counter: SequenceCounter, usageOf: () => { usage: Usage | null; exact: boolean }, estimate: (generated: number) => Usage, attemptWarnings: string[]): Promise<Outcome> => {
    const generated = new GeneratedTokens();
    const sse = await startEventStream(events, responsesEventDialect(counter), {
      idleMs: e.VECSTRUCT_UPSTREAM_IDLE_TIMEOUT_MS,
      firstByteMs: e.VECSTRUCT_UPSTREAM_FIRST_BYTE_TIMEOUT_MS,
      abort: target.abort,
      onEvent: (ev) => account(ev, (t) => audit.appendText(t), generated, () => audit.markFirstToken()),
      beforeEnd: async (ev) => {
        const response = ev.data.response as Record<string, unknown>;
        await save(response);
        return withoutEncrypted(ev, clientWantsEncrypted);
      },
      onEnd: (error) => {
        deadline.clear();
        target.finish(pricedStreamEnd(usageOf(), generated.total(), estimate), error ?? undefined);
        if (!error) learn();
        return vecstruct ? payload() : null;
      },
    });
    return { response: null, usage: null, sse, warnings: attemptWarnings };
  };

  const native = async (target: Target): Promise<Outcome> => {
    if (!stream) return { ...(await nativeJsonAttempt(audit, nativeBody, target, previousId)), sse: null, warnings: [] };
    const state = new NativeStreamState();
    const events = (await nativeStreamAttempt(audit, nativeBody, target, previousId)).pipeThrough(
      new TransformStream<OutEvent, OutEvent>({
        transform(ev, c) {
          state.observe(ev);
          c.enqueue(ev);
        },
      }),
    );
    return streamOut(target, events, state.counter, () => ({ usage: state.usage, exact: state.usage !== null }), (n) => estimateResponsesUsage(nativeBody, n), []);
  };

  const translated = async (target: Target): Promise<Outcome> => {
    if (!stream) return { ...(await translatedJsonAttempt(audit, target, translations, shape)), sse: null };
    const counter: SequenceCounter = { next: 0 };
    const t = await translatedStreamAttempt(audit, target, translations, shape, counter);
    const estimate = (n: number) => estimateUsage(translations.get(target.model, target.provider.protocol).chat, n);
    return streamOut(target, t.events, counter, () => ({ usage: t.usage(), exact: t.usage() !== null }), estimate, t.warnings);
  };

  const invoked = await invoke<Outcome>({
    audit,
    key,
    abort,
    candidates,
    worstCase: (c) => {
      const own = c.credentials.some((p) => responsesAdapterFor(p.protocol)) ? worstCaseMicros(c.model, responsesPromptBound(nativeBody), responsesOutputCap(body, c.model)) : 0n;
      const other = translations.worstCase(c, (p) => responsesAdapterFor(p) === null);
      return own > other ? own : other;
    },
    credits: context.credits,
    attempt: (target) => (responsesAdapterFor(target.provider.protocol) ? native(target) : translated(target)),
    price: (outcome) => {
      if (outcome.sse) return null; // a stream: settled at its end
      deadline.clear();
      if (guard?.checksOutput && outcome.response) {
        outcome.response = guard.responsesObject(outcome.response);
        guard.report();
      }
      audit.appendText(outputText(outcome.response!));
      return outcome.usage ? { usage: outcome.usage, estimated: false } : { usage: estimateResponsesUsage(nativeBody, 0), estimated: true };
    },
  }).catch((err: unknown) => {
    deadline.clear();
    throw err;
  });

  warnings.push(...invoked.result.warnings);
  if (invoked.result.sse) return new Response(invoked.result.sse, { status: 200, headers: { ...auditHeaders(audit, warnings), ...SSE_HEADERS } });
  const response = invoked.result.response!;
  await save(response);
  learn();
  return Response.json({ ...view(response), vecstruct: payload() }, { headers: auditHeaders(audit, warnings) });
});

