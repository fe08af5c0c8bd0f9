// Request bodies are read with a hard cap on every surface (/v1, /api JSON, multipart uploads, the
// auth routes): a declared length over the cap is refused before reading, a chunked body as soon as
// it crosses the cap. Nothing past the cap is kept in memory.
import { ApiError } from "../errors";
import { admitBody, type Release } from "./body-admission";

/** After a 413 the client may still be sending: keep reading (and discarding) this long, then stop. */
const LINGER_MS = 2_000;
const LINGER_BYTES = 32 * 1024 * 1024;

/**
 * Discards what the client keeps sending for a short while instead of cancelling the stream at once.
 * Cancelling makes the server reset the connection when the next chunk arrives, and a reset that
 * overtakes the 413 on its way out loses it (the client sees ECONNRESET, not the error). Lingering
 * lets the 413 leave first; the cap on time and bytes keeps a client from holding the drain open.
 */
function discardRest(reader: ReadableStreamDefaultReader<Uint8Array>): void {
  const stop = () => void reader.cancel().catch(() => {});
  const timer = setTimeout(stop, LINGER_MS);
  timer.unref?.();
  void (async () => {
    let drained = 0;
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        drained += value.byteLength;
        if (drained > LINGER_BYTES) break;
      }
    } catch {
      // the client went away: nothing left to discard
    } finally {
      clearTimeout(timer);
      stop();
    }
  })();
}

export const tooLargeError = (maxBytes: number) => new ApiError("request_too_large", `Request body exceeds the ${maxBytes}-byte limit.`);

/** Reads the whole body, refusing (413) once it is larger than `maxBytes`, declared or not. Empty: a 0-byte buffer. */
export async function readBodyCapped(req: Request, maxBytes: number): Promise<Buffer> {
  const declared = req.headers.get("content-length");
  if (declared && Number(declared) > maxBytes) {
    if (req.body && !req.bodyUsed) discardRest(req.body.getReader());
    throw tooLargeError(maxBytes);
  }
  if (!req.body) return Buffer.alloc(0);
  const reader = req.body.getReader();
  const parts: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    let chunk: ReadableStreamReadResult<Uint8Array>;
    try {
      chunk = await reader.read();
    } catch {
      // The client went away mid-body (an aborted upload): nobody is left to answer, but this is
      // the client's doing, not a server error to log.
      throw new ApiError("invalid_value", "The request body could not be read completely: the connection was closed.");
    }
    const { done, value } = chunk;
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      parts.length = 0;
      discardRest(reader);
      throw tooLargeError(maxBytes);
    }
    parts.push(value);
  }
  return Buffer.concat(parts, size);
}

/**
 * A /v1 JSON body read under the memory admission of lib/http/body-admission.ts: a declared length is
 * admitted before the body is read (it waits in the socket meanwhile), an undeclared one once read.
 * `release` frees its share when the request is over (the audit commit).
 */
export async function readJsonBodyAdmitted(req: Request, maxBytes: number, queueTimeoutMs: number): Promise<{ value: unknown; release: Release }> {
  const declared = Number(req.headers.get("content-length"));
  const early = Number.isFinite(declared) && declared > 0 && declared <= maxBytes ? await admitBody(declared, queueTimeoutMs) : null;
  try {
    const bytes = await readBodyCapped(req, maxBytes);
    const release = early ?? (await admitBody(bytes.byteLength, queueTimeoutMs));
    try {
      return { value: parseJsonObject(bytes.toString("utf8")), release };
    } catch (err) {
      release();
      throw err;
    }
  } catch (err) {
    early?.();
    throw err;
  }
}

/** A /v1 body's JSON: empty or not an object is a 400. */
function parseJsonObject(text: string): unknown {
  if (text.trim() === "") throw new ApiError("invalid_json", "The request body is empty; send a JSON object.");
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new ApiError("invalid_json", "We could not parse the JSON body of your request.");
  }
  if (!parsed || typeof parsed !== "object" || Array.isArray(parsed)) {
    throw new ApiError("invalid_json", "The request body must be a JSON object.");
  }
  return parsed;
}

/**
 * For handlers that read the body themselves (next-auth): the body is read here under the cap and
 * handed on as a fresh request, so a chunked flood is refused (413) before anything parses it.
 */
export async function withBufferedBody(req: Request, maxBytes: number): Promise<Request> {
  if (req.method === "GET" || req.method === "HEAD") return req;
  const body = await readBodyCapped(req, maxBytes);
  return new Request(req.url, { method: req.method, headers: req.headers, body: new Uint8Array(body) });
}
