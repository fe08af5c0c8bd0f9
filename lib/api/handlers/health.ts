import { db } from "../../db";
import { log } from "../../log";

export async function healthHandler(): Promise<Response> {
  try {
    await db().$queryRawUnsafe("SELECT 1");
    return Response.json({ status: "ok", database: "ok" }, { headers: { "cache-control": "no-store" } });
  } catch (err) {
    log.error("health check: database unreachable", {}, err);
    return Response.json({ status: "error", database: "unreachable" }, { status: 503, headers: { "cache-control": "no-store" } });
  }
}
