// How /v1 is served (scripts/server.mjs by default; Next's router in the PostgreSQL run of this suite,
// see global-setup.ts): the same answers either way, and on the lean path no compression of /v1 even
// when the client accepts gzip (a compressing layer can hold stream chunks back), while the console
// is still served by Next.
import { beforeAll, describe, expect, inject, it } from "vitest";
import { baseURL, newKey } from "./helpers";

let key: string;
beforeAll(async () => {
  ({ key } = await newKey());
});

const post = (path: string, body: unknown) =>
  fetch(`${baseURL}${path}`, { method: "POST", headers: { authorization: `Bearer ${key}`, "content-type": "application/json", "accept-encoding": "gzip, deflate, br" }, body: JSON.stringify(body) });

describe(`/v1 served by ${inject("nextRouter") ? "Next's router" : "scripts/server.mjs"}`, () => {
  it("answers JSON and streams with the security headers; the lean path never compresses them", async () => {
    const json = await post("/v1/chat/completions", { model: "openai/gpt-4o", messages: [{ role: "user", content: "uncompressed json" }] });
    expect(json.status).toBe(200);
    expect(json.headers.get("x-content-type-options")).toBe("nosniff");
    const stream = await post("/v1/responses", { model: "anthropic/claude-3-5-sonnet", input: "uncompressed stream", stream: true });
    expect(stream.headers.get("content-type")).toMatch(/^text\/event-stream/);
    const text = await stream.text();
    expect(text).toContain("response.completed");
    if (!inject("nextRouter")) {
      expect(json.headers.get("content-encoding")).toBeNull();
      expect(stream.headers.get("content-encoding")).toBeNull();
    }
  });

  it("a method a route does not export, and an unknown /v1 path, answer as before", async () => {
    const wrongMethod = await fetch(`${baseURL}/v1/chat/completions`, { method: "DELETE", headers: { authorization: `Bearer ${key}` } });
    expect(wrongMethod.status).toBe(405);
    const unknown = await post("/v1/nothing/here", {});
    expect(unknown.status).toBe(404);
    expect((await unknown.json()).error.type).toBe("invalid_request_error");
  });

  it("the console and /api are still Next's", async () => {
    const page = await fetch(`${baseURL}/sign-in`);
    expect(page.status).toBe(200);
    expect(page.headers.get("content-security-policy")).toContain("frame-ancestors 'none'");
    expect((await fetch(`${baseURL}/api/health`)).status).toBe(200);
  });
});
