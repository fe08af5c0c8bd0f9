// scripts/client-address.mjs (preloaded by `npm start`): the throttling's notion of "client" comes
// from the socket, not from headers a client wrote — except the entries trusted proxies appended.
import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { clientAddressOf } from "../../scripts/client-address.mjs";
import { pickGitHubEmail } from "@/lib/auth/github";

const req = (xff: string | undefined, peer = "10.0.0.9") => ({ headers: xff === undefined ? {} : { "x-forwarded-for": xff }, socket: { remoteAddress: peer } });

describe("clientAddressOf", () => {
  it("0 trusted hops: the socket's peer, whatever X-Forwarded-For says", () => {
    expect(clientAddressOf(req("1.2.3.4"), 0)).toBe("10.0.0.9");
    expect(clientAddressOf(req(undefined), 0)).toBe("10.0.0.9");
  });
  it("N trusted hops: the entry N places from the end of [...X-Forwarded-For, peer]", () => {
    expect(clientAddressOf(req("6.6.6.6, 203.0.113.7"), 1)).toBe("203.0.113.7");
    expect(clientAddressOf(req("6.6.6.6, 203.0.113.7, 192.168.1.2"), 2)).toBe("203.0.113.7");
    // Fewer entries than hops: the furthest one known.
    expect(clientAddressOf(req(undefined), 1)).toBe("10.0.0.9");
  });
});

describe("the preload stamps every request and overwrites a client's own header", () => {
  let server: http.Server;
  let seen: http.IncomingHttpHeaders | undefined;
  beforeAll(async () => {
    server = http.createServer((r, res) => {
      seen = r.headers;
      res.end("ok");
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it("sets x-vecstruct-client-address from the socket", async () => {
    const { port } = server.address() as AddressInfo;
    await fetch(`http://127.0.0.1:${port}/`, { headers: { "x-vecstruct-client-address": "6.6.6.6", "x-forwarded-for": "6.6.6.6" } });
    expect(seen?.["x-vecstruct-client-address"]).toBe("127.0.0.1");
  });
});

describe("GitHub addresses", () => {
  it("only a verified address from GitHub's list counts as verified", () => {
    expect(pickGitHubEmail([{ email: "a@x.test", primary: true, verified: true }], "b@x.test")).toEqual({ email: "a@x.test", email_verified: true });
    expect(pickGitHubEmail([{ email: "a@x.test", primary: true, verified: false }, { email: "c@x.test", primary: false, verified: true }], null)).toEqual({ email: "c@x.test", email_verified: true });
    expect(pickGitHubEmail([{ email: "a@x.test", primary: true, verified: false }], "a@x.test")).toEqual({ email: "a@x.test", email_verified: false });
    expect(pickGitHubEmail([], "p@x.test")).toEqual({ email: "p@x.test", email_verified: false });
  });
});
