// The upstream address policy (lib/net), the connect-time guard, ciphertexts bound to their row,
// encoded upstream paths and the caps on what an upstream can make the gateway hold.
import http from "node:http";
import type { AddressInfo } from "node:net";
import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { request } from "undici";
import { credentialSecretContext, decryptSecret, encryptSecret } from "@/lib/crypto";
import { resetEnvForTests } from "@/lib/env";
import { sseEventCap } from "@/lib/upstream/http";
import { checkDestinationUrl, destinationAllowed, EMPTY_ALLOW_LIST, isPublicAddress, parseAllowList } from "@/lib/net/address-policy";
import { BlockedDestinationError, guardedAgent, type LookupAll } from "@/lib/net/guarded-agent";
import { upstreamUrl } from "@/lib/providers/google/request";
import { joinUrl } from "@/lib/providers/url";

// A resolver under the test's control: names that resolve to loopback, to a mix, or publicly.
const ZONE: Record<string, string[]> = { "rebind.example": ["127.0.0.1"], "mixed.example": ["8.8.8.8", "10.0.0.1"], "public.example": ["8.8.8.8"] };
const fakeDns = async (name: string) => ZONE[name] ?? null;
const fakeLookup: LookupAll = (name, _opts, cb) => {
  const found = ZONE[name];
  if (!found) return cb(Object.assign(new Error(`ENOTFOUND ${name}`), { code: "ENOTFOUND" }), []);
  cb(null, found.map((address) => ({ address, family: address.includes(":") ? 6 : 4 })));
};

describe("address policy", () => {
  it("refuses every non-public address, IPv4-mapped and embedded forms included", () => {
    for (const ip of ["127.0.0.1", "127.1.2.3", "0.0.0.0", "10.1.2.3", "172.16.0.1", "192.168.1.1", "169.254.169.254", "100.100.100.200", "::1", "::", "::ffff:127.0.0.1", "::ffff:7f00:1", "fe80::1", "fd00:ec2::254", "64:ff9b::7f00:1", "2002:7f00:1::", "224.0.0.1", "255.255.255.255"]) {
      expect(isPublicAddress(ip), ip).toBe(false);
    }
    for (const ip of ["8.8.8.8", "1.1.1.1", "2606:4700:4700::1111"]) expect(isPublicAddress(ip), ip).toBe(true);
  });

  it("parses the allow-list: bare host, host:port, CIDR; a malformed entry is named", () => {
    const list = parseAllowList(" 127.0.0.2 , 127.0.0.1:8000, [::1]:9000, vllm.internal, 10.0.0.0/8, fd00::/8 ");
    expect(destinationAllowed(list, "127.0.0.2", 1234, "127.0.0.2")).toBe(true);
    expect(destinationAllowed(list, "127.0.0.1", 8000, "127.0.0.1")).toBe(true);
    expect(destinationAllowed(list, "127.0.0.1", 8001, "127.0.0.1")).toBe(false);
    expect(destinationAllowed(list, "::1", 9000, "::1")).toBe(true);
    expect(destinationAllowed(list, "vllm.internal", 80, "192.168.3.4")).toBe(true);
    expect(destinationAllowed(list, "evil.example", 80, "10.9.9.9")).toBe(true); // inside the CIDR
    expect(destinationAllowed(list, "evil.example", 80, "169.254.169.254")).toBe(false);
    expect(destinationAllowed(list, "evil.example", 80, "::ffff:10.0.0.1")).toBe(true);
    expect(() => parseAllowList("10.0.0.0/99")).toThrow(/10\.0\.0\.0\/99/);
    expect(() => parseAllowList("host:99999")).toThrow(/invalid port/);
    expect(() => parseAllowList("http://x")).toThrow(/http:\/\/x/);
  });

  it("checks a base_url when it is entered: loopback names, literals, query and fragment", async () => {
    const blocked = ["http://127.0.0.1:8080/v1", "http://localhost/v1", "http://LOCALHOST./v1", "http://api.localhost/v1", "http://[::1]/v1", "http://0.0.0.0/v1", "http://[::ffff:127.0.0.1]/v1", "http://10.0.0.7/v1", "http://169.254.169.254/latest", "http://2130706433/v1", "http://0x7f.1/v1", "http://rebind.example/v1", "http://mixed.example/v1"];
    for (const url of blocked) expect((await checkDestinationUrl(url, EMPTY_ALLOW_LIST, fakeDns)).ok, url).toBe(false);
    expect((await checkDestinationUrl("http://public.example/v1", EMPTY_ALLOW_LIST, fakeDns)).ok).toBe(true);
    // Not resolvable now: accepted here, judged by the connect-time guard when used.
    expect((await checkDestinationUrl("http://nowhere.example/v1", EMPTY_ALLOW_LIST, fakeDns)).ok).toBe(true);
    expect(await checkDestinationUrl("http://8.8.8.8/v1?cmd=x", EMPTY_ALLOW_LIST)).toMatchObject({ ok: false, reason: expect.stringContaining("query") });
    expect(await checkDestinationUrl("http://8.8.8.8/v1#x", EMPTY_ALLOW_LIST)).toMatchObject({ ok: false });
    expect(await checkDestinationUrl("http://user:pw@8.8.8.8/v1", EMPTY_ALLOW_LIST)).toMatchObject({ ok: false });
    expect(await checkDestinationUrl("file:///etc/passwd", EMPTY_ALLOW_LIST)).toMatchObject({ ok: false });
    expect((await checkDestinationUrl("https://8.8.8.8/v1", EMPTY_ALLOW_LIST)).ok).toBe(true);
    expect((await checkDestinationUrl("http://127.0.0.2:3000/v1", parseAllowList("127.0.0.2"))).ok).toBe(true);
    expect((await checkDestinationUrl("http://127.0.0.1:3000/v1", parseAllowList("127.0.0.1:3001"))).ok).toBe(false);
  });
});

describe("connect-time guard", () => {
  let server: http.Server;
  let port = 0;
  let hits = 0;
  beforeAll(async () => {
    server = http.createServer((req, res) => {
      hits++;
      if (req.url === "/redirect") return res.writeHead(302, { location: "http://169.254.169.254/latest/meta-data" }).end();
      res.end("reached");
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));

  it("never connects to a refused address, by literal or by a name resolving to it", async () => {
    const agent = guardedAgent({}, () => EMPTY_ALLOW_LIST, fakeLookup);
    // rebind.example: the name a validation-time check may have seen public now answers loopback.
    for (const origin of [`http://127.0.0.1:${port}`, `http://[::ffff:127.0.0.1]:${port}`, `http://rebind.example:${port}`, `http://mixed.example:${port}`]) {
      const err = await request(`${origin}/x`, { dispatcher: agent }).then(() => null, (e: unknown) => e);
      expect(err, origin).toBeTruthy();
      const blocked = err instanceof BlockedDestinationError || (err as { cause?: unknown }).cause instanceof BlockedDestinationError;
      expect(blocked, origin).toBe(true);
    }
    expect(hits).toBe(0);
    await agent.close();
  });

  it("connects when the operator allow-listed the destination", async () => {
    const agent = guardedAgent({}, () => parseAllowList(`127.0.0.1:${port}`), fakeLookup);
    const res = await request(`http://127.0.0.1:${port}/x`, { dispatcher: agent });
    expect(await res.body.text()).toBe("reached");
    expect(hits).toBe(1);
    // A redirect is an answer, never followed (to the metadata address or anywhere else).
    const redirected = await request(`http://127.0.0.1:${port}/redirect`, { method: "POST", body: "{}", dispatcher: agent });
    expect(redirected.statusCode).toBe(302);
    await redirected.body.text();
    expect(hits).toBe(2);
    await agent.close();
  });
});

describe("secrets bound to their row", () => {
  beforeAll(() => {
    process.env.VECSTRUCT_ENCRYPTION_KEY = randomBytes(32).toString("base64");
    resetEnvForTests();
  });
  afterAll(() => {
    delete process.env.VECSTRUCT_ENCRYPTION_KEY;
    resetEnvForTests();
  });

  it("a ciphertext moved to another row fails to decrypt; its own row reads it", () => {
    const sealed = encryptSecret("sk-row-a", credentialSecretContext("crd_a"));
    expect(sealed.startsWith("v2.")).toBe(true);
    expect(decryptSecret(sealed, credentialSecretContext("crd_a"))).toBe("sk-row-a");
    expect(() => decryptSecret(sealed, credentialSecretContext("crd_b"))).toThrow();
  });

  it("still reads a v1 ciphertext written before the binding (migrated on read)", async () => {
    const { createCipheriv } = await import("node:crypto");
    const key = Buffer.from(process.env.VECSTRUCT_ENCRYPTION_KEY!, "base64").subarray(0, 32);
    const iv = randomBytes(12);
    const c = createCipheriv("aes-256-gcm", key, iv);
    const data = Buffer.concat([c.update("sk-legacy", "utf8"), c.final()]);
    const legacy = ["v1", iv.toString("base64url"), c.getAuthTag().toString("base64url"), data.toString("base64url")].join(".");
    expect(decryptSecret(legacy, credentialSecretContext("crd_any"))).toBe("sk-legacy");
  });
});

describe("upstream URLs", () => {
  it("encodes the Gemini model into one path segment and refuses names that are not model ids", () => {
    const target = { baseUrl: "https://generativelanguage.googleapis.com/", apiKey: "k", upstreamModel: "models/gemini-2.0-flash" };
    expect(upstreamUrl(target, false)).toBe("https://generativelanguage.googleapis.com/v1beta/models/gemini-2.0-flash:generateContent");
    expect(upstreamUrl(target, true)).toBe("https://generativelanguage.googleapis.com/v1beta/models/gemini-2.0-flash:streamGenerateContent?alt=sse");
    for (const evil of ["../../v1beta/files", "x/../../files", "gemini?key=x", "a#b", ".."]) {
      expect(() => upstreamUrl({ ...target, upstreamModel: evil }, false), evil).toThrow(/not a valid Gemini model id/);
    }
  });

  it("every segment is encoded; dot-segments are refused", () => {
    expect(joinUrl("http://h/v1/", ["a/b", "c?d#e"])).toBe("http://h/v1/a%2Fb/c%3Fd%23e");
    expect(() => joinUrl("http://h", [".."])).toThrow();
  });
});

describe("SSE event cap", () => {
  async function pipe(chunks: string[], max: number): Promise<string> {
    const enc = new TextEncoder();
    const source = new ReadableStream<Uint8Array>({
      start(c) {
        for (const s of chunks) c.enqueue(enc.encode(s));
        c.close();
      },
    });
    let out = "";
    const reader = source.pipeThrough(sseEventCap(max)).getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return out;
      out += new TextDecoder().decode(value);
    }
  }

  it("passes events under the cap, across CRLF and LF", async () => {
    const text = "data: 0123456789\r\n\r\ndata: abcdefghij\n\ndata: x\n";
    expect(await pipe([text, text, text], 20)).toBe(text + text + text);
  });

  it("fails an endless line or an event that never ends", async () => {
    await expect(pipe(["data: ", "x".repeat(50)], 40)).rejects.toMatchObject({ code: "upstream_error" });
    await expect(pipe(["data: 0123456789\n", "data: 0123456789\n", "data: 0123456789\n"], 40)).rejects.toMatchObject({ code: "upstream_error", message: expect.stringContaining("40 bytes") });
  });
});

describe("VECSTRUCT_ALLOWED_UPSTREAM_HOSTS at start", () => {
  afterAll(() => {
    delete process.env.VECSTRUCT_ALLOWED_UPSTREAM_HOSTS;
    resetEnvForTests();
  });

  it("a malformed entry stops the start with a message naming it; a good list is used", async () => {
    const { env } = await import("@/lib/env");
    const { operatorAllowList } = await import("@/lib/net/allow-list");
    process.env.VECSTRUCT_ALLOWED_UPSTREAM_HOSTS = "127.0.0.2, not a host";
    resetEnvForTests();
    expect(() => env()).toThrow(/VECSTRUCT_ALLOWED_UPSTREAM_HOSTS: 'not a host'/);
    process.env.VECSTRUCT_ALLOWED_UPSTREAM_HOSTS = "127.0.0.2,10.0.0.0/8";
    resetEnvForTests();
    expect(operatorAllowList().entries).toHaveLength(2);
  });
});
