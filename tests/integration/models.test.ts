import { describe, expect, it } from "vitest";
import * as modelItem from "@/app/api/models/[...id]/route";
import * as models from "@/app/api/models/route";
import { adminHeaders, call, signedInUser } from "../helpers/http";

describe("models API (catalog and prices)", () => {
  it("lets the operator add a model and edit its prices; members only read", async () => {
    const created = await call(models.POST, {
      method: "POST",
      headers: adminHeaders,
      body: { id: "acme/fast-1", kind: "chat", input_price_per_mtok: 0.5, output_price_per_mtok: 1.5, context_window: 32000 },
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ id: "acme/fast-1", provider: "acme", upstream_model: "fast-1", input_price_per_mtok: 0.5, scope: "instance", available: false });
    const dup = await call(models.POST, { method: "POST", headers: adminHeaders, body: { id: "acme/fast-1" } });
    expect(dup.status).toBe(409);

    const patched = await call(modelItem.PATCH, { method: "PATCH", headers: adminHeaders, params: { id: "acme/fast-1" }, body: { output_price_per_mtok: 2 } });
    expect(patched.status).toBe(200);
    expect(patched.body).toMatchObject({ input_price_per_mtok: 0.5, output_price_per_mtok: 2, enabled: true });

    const u = await signedInUser("models");
    const list = await call(models.GET, { headers: u.headers });
    expect(list.body.data.map((m: { id: string }) => m.id)).toContain("acme/fast-1");
    const denied = await call(modelItem.PATCH, { method: "PATCH", headers: u.headers, params: { id: "acme/fast-1" }, body: { input_price_per_mtok: 0 } });
    expect(denied.status).toBe(403);
    const bad = await call(models.POST, { method: "POST", headers: adminHeaders, body: { id: "no-slash", input_price_per_mtok: -1 } });
    expect(bad.status).toBe(400);
    const missing = await call(modelItem.GET, { headers: u.headers, params: { id: "acme/nope" } });
    expect(missing.status).toBe(404);
  });
});
