// Upstream HTTP: one keep-alive connection pool for every provider (undici), and the first-byte /
// idle timers the gateway enforces itself so both streaming and non-streaming calls share them.
import { Agent, fetch as undiciFetch } from "undici";
import { ApiError } from "../errors";
import type { UpstreamRequest } from "../providers/types";

let agent: Agent | undefined;

function pool(): Agent {
  agent ??= new Agent({
    keepAliveTimeout: 30_000,
    keepAliveMaxTimeout: 300_000,
    connections: 1024,
    // Our own timers decide; undici's would fire with less useful errors.
    headersTimeout: 0,
    bodyTimeout: 0,
  });
  return agent;
}

const TIMEOUT_MESSAGES = {
  "first byte": "The upstream did not start answering in time.",
  idle: "The upstream stopped sending data (idle timeout).",
  total: "The request took longer than the gateway's total timeout.",
} as const;

export const upstreamTimeout = (what: keyof typeof TIMEOUT_MESSAGES) => new ApiError("upstream_timeout", TIMEOUT_MESSAGES[what]);

/** Races a promise against a timer; the timer aborts the upstream call when it fires. */
export async function withTimeout<T>(promise: Promise<T>, ms: number, onTimeout: () => ApiError, abort: AbortController): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      const err = onTimeout();
      abort.abort(err);
      reject(err);
    }, ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

export async function sendUpstream(req: UpstreamRequest, abort: AbortController, firstByteMs: number): Promise<Response> {
  const call = undiciFetch(req.url, {
    method: "POST",
    headers: req.headers,
    body: JSON.stringify(req.body),
    signal: abort.signal,
    dispatcher: pool(),
  }) as unknown as Promise<Response>;
  try {
    return await withTimeout(call, firstByteMs, () => upstreamTimeout("first byte"), abort);
  } catch (err) {
    if (err instanceof ApiError) throw err;
    if (abort.signal.aborted && abort.signal.reason instanceof ApiError) throw abort.signal.reason;
    throw new ApiError("upstream_error", "Could not reach the upstream provider.");
  }
}
