// The one way anything calls a provider, /v1 and internal work alike (DESIGN §4):
// reserve the worst case → route over the candidates (credentials, retries, fallbacks) → call →
// parse → price at the serving model's prices → cap at the reservation → settle → audit.
// Settlement is the audit row's commit (lib/audit/writer.ts moves the charge into the balance and
// the ledger and releases the rest of the reservation), so it happens exactly once per invocation.
import type { AuditDraft } from "../audit/draft";
import { costMicros } from "../billing/cost";
import { reserve } from "../billing/reserve";
import type { CatalogModel } from "../catalog/catalog";
import type { ProviderRuntime } from "../catalog/providers";
import type { KeyContext } from "../wire/key";
import type { Usage } from "../providers/types";
import { upstreamRateLimitHeaders } from "./call";
import type { Candidate } from "./routing/plan";
import { route } from "./routing/run";

/** Where one attempt goes: the model, the credential the router picked, the attempt's own abort. */
export interface Target {
  model: CatalogModel;
  provider: ProviderRuntime;
  abort: AbortController;
  /** A stream's end (it may come before invoke() returns): bill what it generated on this model, commit the row. */
  finish: (priced: Priced, error?: unknown) => void;
}

/** What an answer is billed for; `estimated` when our tokenizer counted it, not the upstream. */
export interface Priced {
  usage: Usage;
  estimated: boolean;
}

/**
 * What a stream that ended is billed for: the upstream's final usage when it came; cut before it,
 * the upstream's input and at least what was counted as output; no usage at all, the estimate.
 */
export function pricedStreamEnd(reported: { usage: Usage | null; exact: boolean }, generated: number, estimate: (generated: number) => Usage): Priced {
  const { usage, exact } = reported;
  if (usage && exact) return { usage, estimated: false };
  if (!usage) return { usage: estimate(generated), estimated: true };
  const completion = Math.max(usage.completion_tokens, generated);
  return { usage: { ...usage, completion_tokens: completion, total_tokens: usage.prompt_tokens + completion }, estimated: true };
}

export interface Invocation<T> {
  audit: AuditDraft;
  key: Pick<KeyContext, "id" | "orgId" | "budgetMicros">;
  /** The request's abort: client gone, total deadline. Each attempt gets a child of it. */
  abort: AbortController;
  candidates: Candidate[];
  /** Worst-case USD micros on one candidate; the largest over all candidates is reserved. */
  worstCase: (candidate: Candidate) => bigint;
  /** Platform credits held with it (RAG retrieval, memory lookup). */
  credits?: bigint;
  /** One attempt: build the provider's request, callUpstream() it, parse the answer. */
  attempt: (target: Target) => Promise<T>;
  /** The usage of a complete answer; null for a stream, which calls its target's `finish` once it ends. */
  price: (result: T, model: CatalogModel) => Priced | null;
}

export interface Invoked<T> {
  result: T;
  model: CatalogModel;
  provider: ProviderRuntime;
}

/**
 * Charges the usage at the serving model's prices, never more than was reserved (so settling can't
 * overdraw), and commits the row, which names the model that served (a fallback, or the requested one).
 */
function complete(audit: AuditDraft, model: CatalogModel, priced: Priced, error?: unknown): void {
  audit.resolveModel(model.id);
  audit.provider = model.provider;
  audit.usage = priced.usage;
  audit.usageEstimated = priced.estimated;
  const cost = costMicros(model, priced.usage);
  const reserved = audit.reservation?.usd ?? 0n;
  audit.costMicros = cost < reserved ? cost : reserved;
  if (error) audit.failure(error, 200);
  else audit.success();
}

/**
 * Runs one upstream invocation and commits its audit row: at once for a complete answer or a
 * failure, at the target's `finish` for a stream. A 402 at the reservation costs nothing and reaches no upstream.
 */
export async function invoke<T>(inv: Invocation<T>): Promise<Invoked<T>> {
  const { audit, candidates } = inv;
  try {
    audit.provider = candidates[0]!.model.provider;
    audit.catalogModel = candidates[0]!.model.id;
    const worst = candidates.reduce((max, c) => {
      const m = inv.worstCase(c);
      return m > max ? m : max;
    }, 0n);
    const credits = inv.credits ?? 0n;
    audit.reservation = await reserve(inv.key, worst, credits);
    audit.creditsMicros = credits;
    const served = await route({ audit, abort: inv.abort }, candidates, (model, provider, abort) =>
      inv.attempt({ model, provider, abort, finish: (priced, error) => complete(audit, model, priced, error) }),
    );
    const priced = inv.price(served.result, served.model);
    if (priced) {
      audit.markFirstToken();
      complete(audit, served.model, priced);
    } else {
      audit.resolveModel(served.model.id);
      audit.provider = served.model.provider;
    }
    return { result: served.result, model: served.model, provider: served.provider };
  } catch (err) {
    upstreamRateLimitHeaders(err);
    audit.failure(err);
    throw err;
  }
}
