// Node's http request/response ↔ the web Request/Response the route handlers take and return, for
// scripts/server.mjs. Written for long streams: the answer is pulled from the handler's stream only
// as fast as the socket drains (backpressure), the response always ends, and a client that leaves
// aborts the Request's signal and cancels the handler's stream (which stops the upstream call).
import { Readable } from "node:stream";
import { SECURITY_HEADERS } from "./v1-routes.mjs";

/** The client's request as a web Request; its signal aborts when the client goes away early. */
export function webRequest(req, res, port) {
  const abort = new AbortController();
  // Only an early close is the client leaving; after the answer was written it is the normal end.
  res.on("close", () => {
    if (!res.writableFinished) abort.abort();
  });
  const headers = new Headers();
  for (let i = 0; i < req.rawHeaders.length; i += 2) headers.append(req.rawHeaders[i], req.rawHeaders[i + 1]);
  const bodyless = req.method === "GET" || req.method === "HEAD";
  const host = req.headers.host ?? `localhost:${port}`;
  return new Request(`http://${host}${req.url}`, { method: req.method, headers, body: bodyless ? undefined : Readable.toWeb(req), duplex: "half", signal: abort.signal });
}

/** Writes the web Response to `res`, chunk by chunk with backpressure, and always ends it. */
export async function sendWeb(response, res) {
  res.statusCode = response.status;
  for (const [key, value] of response.headers) if (key !== "set-cookie") res.setHeader(key, value);
  const cookies = response.headers.getSetCookie();
  if (cookies.length > 0) res.setHeader("set-cookie", cookies);
  for (const [key, value] of SECURITY_HEADERS) if (!res.hasHeader(key)) res.setHeader(key, value);
  if (!response.body) return void res.end();
  // A JSON answer is complete when the handler returns it: one write, headers and body together.
  if (response.headers.get("content-type")?.startsWith("application/json")) {
    let body;
    try {
      body = Buffer.from(await response.arrayBuffer());
    } catch {
      return void res.destroy();
    }
    res.setHeader("content-length", body.byteLength);
    return void res.end(body);
  }
  // A stream's headers go out now: clients wait for them before the first event.
  if (response.headers.get("content-type")?.startsWith("text/event-stream")) res.flushHeaders();
  const reader = response.body.getReader();
  if (res.destroyed) return void reader.cancel().catch(() => {});
  // The client leaving cancels the handler's stream (which stops the upstream call); a pending read then ends.
  let gone = false;
  const onClose = () => {
    if (res.writableFinished) return;
    gone = true;
    reader.cancel().catch(() => {});
    res.emit("drain");
  };
  res.once("close", onClose);
  try {
    for (;;) {
      const next = await reader.read();
      if (gone) return;
      if (next.done) break;
      if (!res.write(next.value)) {
        await new Promise((resolve) => res.once("drain", resolve));
        if (gone) return;
      }
    }
  } catch {
    // The handler's stream failed after its headers went out: the socket is closed without a clean end.
    res.destroy();
    return;
  } finally {
    res.off("close", onClose);
  }
  res.end();
}
