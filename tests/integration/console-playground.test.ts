// The console's own paths into the gateway and the catalog: the session standing in for an API key
// on /v1 (with its CSRF guard), provider tests, and custom models added by an organization's admin.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as chat from "@/app/v1/chat/completions/route";
import * as providerItem from "@/app/api/providers/[...id]/route";
import * as providers from "@/app/api/providers/route";
import * as models from "@/app/api/models/route";
import * as projects from "@/app/api/projects/route";
import { flushAudit } from "@/lib/audit/writer";
import { db } from "@/lib/db";
import { resetEnvForTests } from "@/lib/env";
import { startMockUpstream, type MockUpstream } from "../mocks/upstream";
import { call, signedInUser } from "../helpers/http";

let upstream: MockUpstream;
beforeAll(async () => {
  upstream = await startMockUpstream();
  // Credentials entered through the API may reach a loopback mock only when the operator allows it.
  process.env.VECSTRUCT_ALLOWED_UPSTREAM_HOSTS = new URL(upstream.origin).host;
  resetEnvForTests();
});
afterAll(async () => {
  delete process.env.VECSTRUCT_ALLOWED_UPSTREAM_HOSTS;
  resetEnvForTests();
  await upstream.close();
});

const SECRET = "sk-mock-secret-value-123";
const origin = { origin: "http://localhost", host: "localhost" };

async function orgWithProvider(label: string, apiKey = SECRET) {
  const u = await signedInUser(label);
  const cred = await call(providers.POST, { method: "POST", headers: u.headers, body: { provider: "mock", protocol: "openai-compatible", base_url: `${upstream.origin}/v1`, api_key: apiKey } });
  expect(cred.status).toBe(201);
  const model = await call(models.POST, { method: "POST", headers: u.headers, body: { id: "mock/echo-1", input_price_per_mtok: 1, output_price_per_mtok: 2 } });
  expect(model.status).toBe(201);
  expect(model.body).toMatchObject({ scope: "organization", available: true });
  const project = await call(projects.POST, { method: "POST", headers: u.headers, body: { name: "Playground" } });
  return { u, credId: cred.body.id as string, projectId: project.body.id as string };
}

describe("console paths", () => {
  it("an org owner adds a provider and a custom model only their organization sees, and tests it", async () => {
    const { u, credId } = await orgWithProvider("prov");
    const ok = await call(providerItem.POST, { method: "POST", headers: u.headers, params: { id: `${credId}/test` }, path: `/api/providers/${credId}/test` });
    expect(ok.status).toBe(200);
    expect(ok.body).toMatchObject({ ok: true, provider: "mock", model: "mock/echo-1", error: null });
    expect(upstream.requests.at(-1)?.body).toMatchObject({ model: "echo-1", max_tokens: 1 });

    // Another organization neither sees the model nor can test the credential.
    const other = await signedInUser("other");
    const list = await call(models.GET, { headers: other.headers });
    expect(list.body.data.map((m: { id: string }) => m.id)).not.toContain("mock/echo-1");
    const foreign = await call(providerItem.POST, { method: "POST", headers: other.headers, params: { id: `${credId}/test` } });
    expect(foreign.status).toBe(404);
  });

  it("a failing test says why without the secret", async () => {
    const { u, credId } = await orgWithProvider("refused", "sk-refused-secret-999");
    const res = await call(providerItem.POST, { method: "POST", headers: u.headers, params: { id: `${credId}/test` } });
    expect(res.status).toBe(200);
    expect(res.body.ok).toBe(false);
    expect(res.body.status).toBe(401);
    expect(JSON.stringify(res.body)).not.toContain("sk-refused-secret-999");
  });

  it("the console session calls /v1 for a project of its organization; cookies alone do not", async () => {
    const { u, projectId } = await orgWithProvider("chat");
    const body = { model: "mock/echo-1", messages: [{ role: "user", content: "hello playground" }], vecstruct: {} };
    const res = await call(chat.POST, { method: "POST", path: "/v1/chat/completions", headers: { ...u.headers, ...origin, "x-vecstruct-project": projectId }, body });
    expect(res.status).toBe(200);
    expect(res.body.choices[0].message.content).toBe("Echo: hello playground");
    const auditId = res.body.vecstruct.audit_id as string;

    // No project header: it is an API request without a key.
    const noHeader = await call(chat.POST, { method: "POST", headers: { ...u.headers, ...origin }, body });
    expect(noHeader.status).toBe(401);
    // Another site's page (cross-origin, or a browser telling us it is cross-site).
    const crossSite = await call(chat.POST, { method: "POST", headers: { ...u.headers, origin: "https://evil.example", host: "localhost", "x-vecstruct-project": projectId }, body });
    expect(crossSite.status).toBe(401);
    const fetchMeta = await call(chat.POST, { method: "POST", headers: { ...u.headers, ...origin, "sec-fetch-site": "cross-site", "x-vecstruct-project": projectId }, body });
    expect(fetchMeta.status).toBe(401);
    // A project of another organization.
    const other = await signedInUser("outsider");
    const foreign = await call(chat.POST, { method: "POST", headers: { ...other.headers, ...origin, "x-vecstruct-project": projectId }, body });
    expect(foreign.status).toBe(403);
    // No session at all.
    const anonymous = await call(chat.POST, { method: "POST", headers: { ...origin, "x-vecstruct-project": projectId }, body });
    expect(anonymous.status).toBe(401);

    // Streaming, as the playground sends it: chunks, usage, the vecstruct event, [DONE].
    const streamed = await chat.POST(
      new Request("http://localhost/v1/chat/completions", {
        method: "POST",
        headers: { ...u.headers, ...origin, "content-type": "application/json", "x-vecstruct-project": projectId },
        body: JSON.stringify({ ...body, stream: true, stream_options: { include_usage: true } }),
      }),
    );
    const sse = await streamed.text();
    expect(sse).toContain("event: vecstruct");
    expect(sse.trim().endsWith("data: [DONE]")).toBe(true);

    await flushAudit();
    const row = await db().auditLog.findUnique({ where: { id: auditId } });
    expect(row).toMatchObject({ apiKeyId: null, origin: "api", projectId, status: "success" });
  });
});
