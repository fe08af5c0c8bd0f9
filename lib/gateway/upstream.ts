// Upstream HTTP: one keep-alive connection pool for every provider (undici), and the first-byte /
// idle timers the gateway enforces itself so both streaming and non-streaming calls share them.
import { Readable } from "node:stream";
import { Agent, request, type Dispatcher } from "undici";
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

/**
 * The slice of an upstream answer the gateway reads. Built on undici's `request` rather than
 * `fetch`: same pool, but no WHATWG Request/Response objects and no body tee per call (measured:
 * ~70 µs of CPU per streamed call instead of ~210 µs). The body becomes a web stream only when a
 * stream is read.
 */
export interface UpstreamResponse {
  status: number;
  ok: boolean;
  headers: { get(name: string): string | null };
  text(): Promise<string>;
  json(): Promise<unknown>;
  readonly body: ReadableStream<Uint8Array>;
  discard(): void;
}

function wrap(r: Dispatcher.ResponseData): UpstreamResponse {
  let web: ReadableStream<Uint8Array> | undefined;
  return {
    status: r.statusCode,
    ok: r.statusCode >= 200 && r.statusCode < 300,
    headers: {
      get(name) {
        const v = r.headers[name.toLowerCase()];
        return v === undefined ? null : Array.isArray(v) ? v.join(", ") : v;
      },
    },
    text: () => r.body.text(),
    json: () => r.body.json(),
    get body() {
      web ??= Readable.toWeb(r.body) as unknown as ReadableStream<Uint8Array>;
      return web;
    },
    discard: () => r.body.destroy(),
  };
}

export async function sendUpstream(req: UpstreamRequest, abort: AbortController, firstByteMs: number): Promise<UpstreamResponse> {
  const call = request(req.url, {
    method: "POST",
    headers: req.headers,
    body: JSON.stringify(req.body),
    signal: abort.signal,
    dispatcher: pool(),
  }).then(wrap);
  try {
    return await withTimeout(call, firstByteMs, () => upstreamTimeout("first byte"), abort);
  } catch (err) {
    if (err instanceof ApiError) throw err;
    if (abort.signal.aborted && abort.signal.reason instanceof ApiError) throw abort.signal.reason;
    throw new ApiError("upstream_error", "Could not reach the upstream provider.");
  }
}
