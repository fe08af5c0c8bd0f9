// The playground readers' test harness: `respond` makes the next fetch answer with the given body
// (an SSE stream by default, with an audit id header), `readWith` runs a reader and collects what
// it hands the page's handlers.
import { vi } from "vitest";
import type { StreamHandlers, Usage, VecstructInfo } from "@/lib/client/chat-stream";

export function respond(text: string, init: ResponseInit = {}) {
  vi.stubGlobal("fetch", vi.fn(async () => new Response(text, { headers: { "content-type": "text/event-stream", "x-vecstruct-audit-id": "aud_1" }, ...init })));
}

type Reader = (projectId: string, body: unknown, signal: AbortSignal, h: StreamHandlers) => Promise<void>;

export async function readWith(reader: Reader) {
  const seen = { audit: "", text: "", reasoning: "", deltas: 0, usage: null as Usage | null, vecstruct: null as VecstructInfo | null };
  await reader("prj_1", { model: "m" }, new AbortController().signal, {
    onAuditId: (id) => (seen.audit = id),
    onDelta: (t, r) => {
      seen.deltas++;
      seen.text += t;
      seen.reasoning += r;
    },
    onUsage: (u) => (seen.usage = u),
    onVecstruct: (v) => (seen.vecstruct = v),
  });
  return seen;
}
