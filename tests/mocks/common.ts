// What the mock upstream's protocols share: the plan a user text steers (echo + faults), the
// crude token count, JSON / SSE writers, and the faults applied before and during an answer.
import type http from "node:http";

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export interface Plan {
  text: string; // reply text
  fault: { kind: string; ms: number } | null;
}

export function plan(userText: string): Plan {
  const m = /\[\[fault:([a-z0-9-]+)(?::(\d+))?\]\]/.exec(userText);
  const clean = userText.replace(/\[\[fault:[^\]]*\]\]/g, "").trim();
  return { text: `Echo: ${clean}`, fault: m ? { kind: m[1]!, ms: Number(m[2] ?? 0) } : null };
}

export const words = (text: string) => text.split(/(?<= )/);
export const tokens = (s: string) => Math.max(1, Math.ceil(s.length / 4));

export function textOf(content: any): string {
  if (typeof content === "string") return content;
  if (Array.isArray(content)) return content.map((p) => (typeof p?.text === "string" ? p.text : "")).join("");
  return "";
}

export type Send = (res: http.ServerResponse, status: number, body: unknown) => void;
export const sendJson: Send = (res, status, body) => {
  res.writeHead(status, { "content-type": "application/json" });
  res.end(JSON.stringify(body));
};

export function startSse(res: http.ServerResponse) {
  res.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-cache" });
  res.flushHeaders();
}

/** Applies a fault before the answer; returns true when it handled the response. */
export async function preFault(p: Plan, res: http.ServerResponse, errorBody: (status: number, msg: string) => unknown): Promise<boolean> {
  const f = p.fault;
  if (!f) return false;
  if (f.kind === "hang") return true; // never answer
  if (f.kind === "slow") await sleep(f.ms);
  const statuses: Record<string, number> = { "500": 500, "429": 429, "401": 401, "400": 400, "503": 503, "529": 529 };
  const status = statuses[f.kind];
  if (status) {
    sendJson(res, status, errorBody(status, status === 400 ? "Invalid request: mock says no" : `mock failure ${status}`));
    return true;
  }
  return false;
}

/** Writes stream events honouring stall/idle/drop faults. */
export async function streamEvents(p: Plan, res: http.ServerResponse, events: string[]) {
  startSse(res);
  if (p.fault?.kind === "stall-first") await sleep(p.fault.ms);
  for (let i = 0; i < events.length; i++) {
    if (res.destroyed) return;
    res.write(events[i]);
    if (p.fault?.kind === "idle" && i === 1) await sleep(p.fault.ms);
    if (p.fault?.kind === "trickle" && i > 0) await sleep(p.fault.ms);
    if (p.fault?.kind === "drop" && i === 2) {
      await sleep(20);
      res.socket?.destroy();
      return;
    }
    await sleep(1);
  }
  if (p.fault?.kind === "cut") {
    await sleep(20);
    res.socket?.destroy();
    return;
  }
  res.end();
}

export function openaiError(status: number, message: string) {
  return { error: { message, type: status === 429 ? "rate_limit_error" : "invalid_request_error", param: null, code: null } };
}

/** Tool-call arguments of `n` words, as the JSON text fragments a stream delivers them in. */
export function argumentParts(n: number): string[] {
  const json = JSON.stringify({ text: Array.from({ length: n }, (_, i) => `word${i}`).join(" ") });
  const parts: string[] = [];
  for (let i = 0; i < json.length; i += 70) parts.push(json.slice(i, i + 70));
  return parts;
}
