// TEMPORARY until msg-core's translation is merged: non-Anthropic upstreams are refused by name.
import type { AuditDraft } from "../../audit/draft";
import { ApiError } from "../../errors";
import type { Usage } from "../../providers/types";
import type { Target } from "../../upstream/invoke";
import type { Candidate } from "../../upstream/routing/plan";
import type { MessagesOut } from "./stream-out";
import { messagesPromptTokens } from "./estimate";

const refuse = (t: Target) => new ApiError("invalid_value", `'${t.model.id}' cannot serve /v1/messages yet.`, { param: "model" });

export async function translatedJsonAttempt(_audit: AuditDraft, _request: Record<string, unknown>, target: Target, _id: string): Promise<{ message: Record<string, unknown>; usage: Usage | null; text: string; warnings: string[] }> {
  throw refuse(target);
}

export async function translatedStreamAttempt(_audit: AuditDraft, _request: Record<string, unknown>, target: Target, _id: string): Promise<{ events: ReadableStream<MessagesOut>; usage: () => Usage | null; warnings: string[] }> {
  throw refuse(target);
}

export function translatedWorstCase(_request: Record<string, unknown>, _c: Candidate): bigint {
  return 0n;
}

export function translatedPromptTokens(request: Parameters<typeof messagesPromptTokens>[0], _model: Candidate["model"], _protocol: string, _warnings: string[]): number {
  return messagesPromptTokens(request);
}
