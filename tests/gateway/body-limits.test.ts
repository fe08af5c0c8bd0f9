// Issue 14 (4b): every /api body is capped while it is read. The review's attack: an unauthenticated
// chunked (no content-length) 64 MiB body to /api/sign-up was buffered whole before the 413. Here
// raw chunked requests (node:http, no length) must get the documented 413 while the client is still
// sending, long before the whole body went out, and the 413 must arrive (not a connection reset).
import http from "node:http";
import { describe, expect, it } from "vitest";
import { inject } from "vitest";
import { admin, baseURL } from "./helpers";

const TOTAL = 64 * 1024 * 1024;

type Outcome = { status: number; body: any; sentBeforeResponse: number; error?: string };

/**
 * Streams a chunked body, `prefix` then filler up to `total` bytes (0: the prefix alone), and stops
 * sending once the answer arrives.
 */
function chunkedPost(path: string, headers: Record<string, string>, prefix: string, total = TOTAL): Promise<Outcome> {
  const url = new URL(path, baseURL);
  return new Promise((resolve) => {
    let sent = 0;
    let answered = false;
    const req = http.request({ host: url.hostname, port: url.port, path: url.pathname, method: "POST", headers: { ...headers, "transfer-encoding": "chunked" } });
    req.on("response", (res) => {
      answered = true;
      const at = sent;
      let text = "";
      res.setEncoding("utf8");
      res.on("data", (d: string) => (text += d));
      res.on("end", () => {
        req.destroy();
        resolve({ status: res.statusCode ?? 0, body: text ? JSON.parse(text) : null, sentBeforeResponse: at });
      });
    });
    req.on("error", (err: NodeJS.ErrnoException) => {
      if (!answered) resolve({ status: 0, body: null, sentBeforeResponse: sent, error: err.code ?? err.message });
    });
    const filler = Buffer.alloc(64 * 1024, 0x20);
    const pump = () => {
      while (!answered && (sent === 0 || sent < total)) {
        const chunk = sent === 0 ? Buffer.concat([Buffer.from(prefix), total > 0 ? filler : Buffer.alloc(0)]) : filler;
        sent += chunk.length;
        if (!req.write(chunk)) return void req.once("drain", pump);
      }
      if (!answered) req.end();
    };
    pump();
  });
}

/**
 * A client address of its own (honoured where the suite trusts one proxy hop), so sign-up and sign-in
 * throttling, counted per client, is not shared with other test files.
 */
const ownClient = () => ({ "x-forwarded-for": `198.51.100.${1 + Math.floor(Math.random() * 250)}` });

function expectRefusedEarly(out: Outcome) {
  expect(out.error, "the 413 must arrive, not a reset").toBeUndefined();
  expect(out.status).toBe(413);
  expect(out.body).toEqual({ error: { message: expect.stringContaining("limit"), type: "invalid_request_error", param: null, code: "request_too_large" } });
  // The answer came while the client was still sending: the server stopped reading early
  // (what was sent includes the socket buffers of both sides, a few MB).
  expect(out.sentBeforeResponse).toBeLessThan(32 * 1024 * 1024);
}

describe("body caps on /api while reading (chunked, no content-length)", () => {
  it("refuses a chunked 64 MiB sign-up body with the 413 before reading it all", async () => {
    const out = await chunkedPost("/api/sign-up", { "content-type": "application/json", ...ownClient() }, '{"name":"x","email":"flood@example.com","password":"');
    expectRefusedEarly(out);
  });

  it("refuses a chunked 64 MiB multipart document upload the same way", async () => {
    const project = await admin("/api/projects", { name: "body-caps" });
    const boundary = "----vecstruct-flood";
    const prefix = `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="big.txt"\r\nContent-Type: text/plain\r\n\r\n`;
    const out = await chunkedPost(`/api/projects/${project.id}/documents`, { authorization: `Bearer ${inject("adminKey")}`, "content-type": `multipart/form-data; boundary=${boundary}` }, prefix);
    expectRefusedEarly(out);
  });

  it("refuses a chunked JSON body on a management route and a sign-in form flood", async () => {
    expectRefusedEarly(await chunkedPost("/api/projects", { authorization: `Bearer ${inject("adminKey")}`, "content-type": "application/json" }, '{"name":"'));
    expectRefusedEarly(await chunkedPost("/api/auth/callback/credentials", { "content-type": "application/x-www-form-urlencoded", ...ownClient() }, "email=a%40b.c&password="));
  });

  it("still accepts chunked bodies under the caps: a sign-up and a multipart upload", async () => {
    const email = `chunked-${Date.now()}@example.com`;
    const signUp = await chunkedPost("/api/sign-up", { "content-type": "application/json", ...ownClient() }, JSON.stringify({ name: "Chunked", email, password: "a-long-enough-password" }), 0);
    // Accepted (201 with the user, or 202 where sign-up answers uniformly); either way it echoes the address.
    expect([201, 202], JSON.stringify(signUp.body)).toContain(signUp.status);
    expect(signUp.body.email).toBe(email);

    const project = await admin("/api/projects", { name: "body-caps-ok" });
    const form = new FormData();
    form.append("file", new Blob(["# Chunked\n\nAn upload sent without a content-length still works."], { type: "text/markdown" }), "chunked.md");
    const encoded = new Response(form);
    const res = await fetch(`${baseURL}/api/projects/${project.id}/documents`, {
      method: "POST",
      headers: { authorization: `Bearer ${inject("adminKey")}`, "content-type": encoded.headers.get("content-type")! },
      body: encoded.body,
      duplex: "half",
    } as RequestInit);
    expect(res.status).toBe(201);
    expect((await res.json()).title).toBe("chunked");
  });
});
