// DESIGN §3b for the organization admin that open sign-up makes of any stranger, through the route
// handlers with a real console session: no re-priced model on the operator's credential, no test
// calls on instance credentials, no credential pointing at the gateway's own network.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as providerItem from "@/app/api/providers/[...id]/route";
import * as providers from "@/app/api/providers/route";
import * as models from "@/app/api/models/route";
import { credentialSecretContext, encryptSecret } from "@/lib/crypto";
import { db } from "@/lib/db";
import { invalidateCatalog } from "@/lib/catalog/catalog";
import { startMockUpstream, type MockUpstream } from "../mocks/upstream";
import { adminHeaders, call, signedInUser } from "../helpers/http";

let upstream: MockUpstream;
beforeAll(async () => {
  upstream = await startMockUpstream();
});
afterAll(() => upstream.close());

describe("an organization admin", () => {
  it("cannot add a model on a provider it has no credential for (400 naming id)", async () => {
    const u = await signedInUser("free-model");
    for (const body of [
      { id: "openai/gpt-4o", input_price_per_mtok: 0, output_price_per_mtok: 0 },
      { id: "openai/anything", upstream_model: "gpt-4-turbo" },
    ]) {
      const res = await call(models.POST, { method: "POST", headers: u.headers, body });
      expect(res.status).toBe(400);
      expect(res.body.error).toMatchObject({ code: "invalid_value", param: "id" });
    }
    expect(await db().model.count({ where: { orgId: u.org.id } })).toBe(0);
  });

  it("cannot test an instance credential (unmetered calls on the operator's key); the operator can", async () => {
    const id = `crd_instance_${Date.now()}`;
    await db().providerCredential.create({ data: { id, orgId: null, slug: "inst", protocol: "openai-compatible", name: "inst", baseUrl: `${upstream.origin}/v1`, secretEnc: encryptSecret("sk-operator", credentialSecretContext(id)) } });
    await db().model.create({ data: { id: `mdl_inst_${Date.now()}`, slug: "inst/echo", provider: "inst", upstreamModel: "echo", kind: "chat", inputMicrosPerMtok: 1n, outputMicrosPerMtok: 1n } });
    invalidateCatalog();
    const u = await signedInUser("tester");
    const before = upstream.requests.length;
    const res = await call(providerItem.POST, { method: "POST", headers: u.headers, params: { id: `${id}/test` }, path: `/api/providers/${id}/test` });
    expect(res.status).toBe(403);
    expect(res.body.error.code).toBe("permission_denied");
    expect(upstream.requests.length).toBe(before);
    // The operator's own check still works — and goes through the address policy like any
    // API-created credential: this one points at an address nobody allow-listed, so no connection.
    const op = await call(providerItem.POST, { method: "POST", headers: adminHeaders, params: { id: `${id}/test` }, path: `/api/providers/${id}/test` });
    expect(op.status).toBe(200);
    expect(op.body).toMatchObject({ ok: false, model: "inst/echo" });
    expect(upstream.requests.length).toBe(before);

    // Where the operator's credential points is not shown to organizations; the operator sees it.
    const seen = (await call(providers.GET, { headers: u.headers })).body.data.find((c: { id: string }) => c.id === id);
    expect(seen).toMatchObject({ scope: "instance", base_url: null });
    const opSeen = (await call(providers.GET, { headers: adminHeaders })).body.data.find((c: { id: string }) => c.id === id);
    expect(opSeen.base_url).toBe(`${upstream.origin}/v1`);
  });

  it("cannot point a credential at the gateway's network", async () => {
    const u = await signedInUser("ssrf");
    const res = await call(providers.POST, { method: "POST", headers: u.headers, body: { provider: "mine", protocol: "openai-compatible", base_url: `${upstream.origin}/admin/run?cmd=x&ignore=`, api_key: "sk-x" } });
    expect(res.status).toBe(400);
    expect(res.body.error.param).toBe("base_url");
    const local = await call(providers.POST, { method: "POST", headers: u.headers, body: { provider: "mine", protocol: "openai-compatible", base_url: `${upstream.origin}/v1`, api_key: "sk-x" } });
    expect(local.status).toBe(400);
    expect(local.body.error.param).toBe("base_url");
    expect(await db().providerCredential.count({ where: { orgId: u.org.id } })).toBe(0);
  });
});

describe("secrets stored before row binding", () => {
  it("keep working and are rewritten bound to their row on first use", async () => {
    const { createCipheriv, randomBytes } = await import("node:crypto");
    const { env } = await import("@/lib/env");
    const key = Buffer.from(env().VECSTRUCT_ENCRYPTION_KEY, "base64").subarray(0, 32);
    const iv = randomBytes(12);
    const c = createCipheriv("aes-256-gcm", key, iv);
    const data = Buffer.concat([c.update("sk-legacy-secret", "utf8"), c.final()]);
    const legacy = ["v1", iv, c.getAuthTag(), data].map((p) => (typeof p === "string" ? p : p.toString("base64url"))).join(".");
    const u = await signedInUser("legacy");
    const row = await db().providerCredential.create({ data: { orgId: u.org.id, slug: "legacy", protocol: "openai-compatible", name: "legacy", baseUrl: "https://legacy.example/v1", secretEnc: legacy } });
    invalidateCatalog();
    const { getCatalog, providersFor } = await import("@/lib/catalog/catalog");
    expect(providersFor(await getCatalog(), u.org.id, "legacy")[0]?.apiKey).toBe("sk-legacy-secret");
    let stored = legacy;
    for (let i = 0; i < 50 && stored.startsWith("v1."); i++) {
      await new Promise((r) => setTimeout(r, 20));
      stored = (await db().providerCredential.findUniqueOrThrow({ where: { id: row.id } })).secretEnc!;
    }
    expect(stored.startsWith("v2.")).toBe(true);
    invalidateCatalog();
    expect(providersFor(await getCatalog(), u.org.id, "legacy")[0]?.apiKey).toBe("sk-legacy-secret");
  });
});
