import { db } from "../../db";

export async function healthHandler(): Promise<Response> {
  try {
    await db().$queryRawUnsafe("SELECT 1");
    return Response.json({ status: "ok", database: "ok" }, { headers: { "cache-control": "no-store" } });
  } catch (err) {
    console.error("[vecstruct] health check: database unreachable", err instanceof Error ? err.message : err);
    return Response.json({ status: "error", database: "unreachable" }, { status: 503, headers: { "cache-control": "no-store" } });
  }
}
