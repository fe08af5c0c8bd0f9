// GET /api/metrics: Prometheus text format, for the operator key or VECSTRUCT_METRICS_TOKEN (a
// scrape-only secret, so Prometheus need not hold the admin key).
import { env } from "../../env";
import { ApiError, errorResponse } from "../../errors";
import { renderMetrics } from "../../observability/metrics";
import { bearerMatches } from "../management";

export async function metricsHandler(req: Request): Promise<Response> {
  const e = env();
  if (!bearerMatches(req, e.VECSTRUCT_METRICS_TOKEN) && !bearerMatches(req, e.VECSTRUCT_ADMIN_KEY)) {
    return errorResponse(new ApiError("unauthenticated", "Metrics need `Authorization: Bearer` with VECSTRUCT_METRICS_TOKEN or VECSTRUCT_ADMIN_KEY."));
  }
  const { body, contentType } = await renderMetrics();
  return new Response(body, { headers: { "content-type": contentType, "cache-control": "no-store" } });
}
