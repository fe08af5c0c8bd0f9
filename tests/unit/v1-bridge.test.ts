// The lean /v1 server's plumbing (scripts/v1-bridge.mjs, scripts/v1-routes.mjs) against a real Node
// HTTP server and socket: long streams end (the earlier attempt stalled them), backpressure holds a
// slow client's stream in the handler instead of in memory, an early SSE gets its headers at once,
// a client that leaves cancels the handler's stream and aborts the request signal, and routes match
// as Next matches them.
import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { sendWeb, webRequest } from "../../scripts/v1-bridge.mjs";
import { handlerFor, matchRoute, routeTable } from "../../scripts/v1-routes.mjs";

type Handler = (req: Request) => Promise<Response> | Response;
const servers: http.Server[] = [];
afterEach(() => {
  for (const s of servers.splice(0)) s.close();
});

async function serve(handler: Handler): Promise<string> {
  const server = http.createServer((req, res) => {
    void (async () => sendWeb(await handler(webRequest(req, res, 0)), res))();
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe("the /v1 bridge", () => {
  it("streams 8 MB in 2,000 chunks to the end, pulling only as fast as the client reads", async () => {
    const chunk = new Uint8Array(4096).fill(120);
    let pulled = 0;
    const origin = await serve(
      () =>
        new Response(
          new ReadableStream<Uint8Array>({
            pull(c) {
              if (pulled === 2_000) return c.close();
              pulled += 1;
              c.enqueue(chunk);
            },
          }),
          { headers: { "content-type": "text/event-stream" } },
        ),
    );
    const res = await fetch(origin);
    const reader = res.body!.getReader();
    await sleep(300); // a slow client: nothing read yet
    expect(pulled).toBeLessThan(2_000); // held back by the socket, not buffered whole
    let bytes = 0;
    for (let r = await reader.read(); !r.done; r = await reader.read()) bytes += r.value.length;
    expect(bytes).toBe(2_000 * 4096);
    expect(res.headers.get("x-content-type-options")).toBe("nosniff");
  });

  it("sends an event stream's headers before its first event", async () => {
    const origin = await serve(
      () =>
        new Response(
          new ReadableStream({
            async start(c) {
              await sleep(400);
              c.enqueue(new TextEncoder().encode("data: late\n\n"));
              c.close();
            },
          }),
          { headers: { "content-type": "text/event-stream" } },
        ),
    );
    const t0 = Date.now();
    const res = await fetch(origin);
    expect(Date.now() - t0).toBeLessThan(300);
    expect(await res.text()).toBe("data: late\n\n");
  });

  it("a client that leaves mid-stream cancels the handler's stream and aborts the request", async () => {
    let cancelled = false;
    let aborted = false;
    const origin = await serve((req) => {
      req.signal.addEventListener("abort", () => (aborted = true));
      return new Response(
        new ReadableStream({
          async pull(c) {
            await sleep(20);
            c.enqueue(new TextEncoder().encode("data: tick\n\n"));
          },
          cancel() {
            cancelled = true;
          },
        }),
        { headers: { "content-type": "text/event-stream" } },
      );
    });
    const ac = new AbortController();
    const res = await fetch(origin, { signal: ac.signal });
    await res.body!.getReader().read();
    ac.abort();
    for (let i = 0; i < 50 && !(cancelled && aborted); i++) await sleep(20);
    expect({ cancelled, aborted }).toEqual({ cancelled: true, aborted: true });
  });

  it("hands the request body, method, headers and URL over; Set-Cookie headers stay apart", async () => {
    const origin = await serve(async (req) => {
      const body = (await req.json()) as { n: number[] };
      const headers = new Headers({ "content-type": "application/json" });
      headers.append("set-cookie", "a=1");
      headers.append("set-cookie", "b=2");
      return new Response(JSON.stringify({ method: req.method, url: new URL(req.url).pathname + new URL(req.url).search, auth: req.headers.get("authorization"), n: body.n.length }), { status: 201, headers });
    });
    const res = await fetch(`${origin}/v1/x?y=1`, { method: "POST", headers: { authorization: "Bearer k" }, body: JSON.stringify({ n: Array.from({ length: 100_000 }, (_, i) => i) }) });
    expect(res.status).toBe(201);
    expect(await res.json()).toEqual({ method: "POST", url: "/v1/x?y=1", auth: "Bearer k", n: 100_000 });
    expect(res.headers.getSetCookie()).toEqual(["a=1", "b=2"]);
  });
});

describe("the /v1 route table", () => {
  const pages = ["/v1/[...path]/route", "/v1/chat/completions/route", "/v1/models/[...id]/route", "/v1/models/route", "/v1/responses/[id]/input_items/route", "/v1/responses/[id]/route", "/v1/responses/route"];
  const loaded: string[] = [];
  const routes = routeTable(pages.map((page) => ({ page, load: async () => (loaded.push(page), { GET: () => null, POST: () => null }) })));
  const hit = (url: string) => {
    const m = matchRoute(routes, url) as { route: { page: string }; params: Record<string, unknown> } | null;
    return m && [m.route.page, m.params];
  };

  it("matches static routes before dynamic ones and catch-alls last, with Next's params", () => {
    expect(hit("/v1/chat/completions")).toEqual(["/v1/chat/completions/route", {}]);
    expect(hit("/v1/models")).toEqual(["/v1/models/route", {}]);
    expect(hit("/v1/models/openai/gpt-4o")).toEqual(["/v1/models/[...id]/route", { id: ["openai", "gpt-4o"] }]);
    expect(hit("/v1/responses/resp_1?x=1")).toEqual(["/v1/responses/[id]/route", { id: "resp_1" }]);
    expect(hit("/v1/responses/resp_1/input_items")).toEqual(["/v1/responses/[id]/input_items/route", { id: "resp_1" }]);
    expect(hit("/v1/nope/x")).toEqual(["/v1/[...path]/route", { path: ["nope", "x"] }]);
    expect(hit("/v1/")).toBeNull();
  });

  it("loads a route's module on its first request only, and leaves methods it does not export to Next", async () => {
    expect(loaded).toEqual([]);
    const { route } = matchRoute(routes, "/v1/chat/completions") as { route: unknown };
    expect(await handlerFor(route, "POST")).toBeTypeOf("function");
    expect(await handlerFor(route, "DELETE")).toBeNull();
    expect(loaded).toEqual(["/v1/chat/completions/route"]);
  });
});
