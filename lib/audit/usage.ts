// GET /api/usage: requests, tokens, cost and credits over a period, grouped by day, model or project.
import { z } from "zod";
import type { Scope } from "../tenancy/scope";
import { db } from "../db";
import { env } from "../env";
import { ApiError } from "../errors";
import { microsToUnits, roundToMicro } from "../money";
import { auditWhere } from "./query";

const isoDate = z.iso.datetime({ offset: true }).or(z.iso.date());
export const usageQuery = z.strictObject({
  from: isoDate.optional(),
  to: isoDate.optional(),
  group_by: z.enum(["day", "model", "project"]).default("day"),
  project_id: z.string().min(1).optional(),
});

interface Bucket {
  key: string | null;
  requests: number;
  errors: number;
  prompt_tokens: number;
  completion_tokens: number;
  total_tokens: number;
  cost_usd: number;
  credits: number;
}

const num = (v: unknown) => Number(v ?? 0);

export async function getUsage(scope: Scope, q: z.infer<typeof usageQuery>) {
  // Default window: the last 30 days.
  const to = q.to ?? new Date().toISOString();
  const from = q.from ?? new Date(Date.parse(to) - 30 * 86_400_000).toISOString();
  if (Date.parse(from) > Date.parse(to)) throw new ApiError("invalid_value", "'from' must not be after 'to'.", { param: "from" });
  const where = auditWhere(scope, { from, to, project_id: q.project_id });
  let rows: (Record<string, unknown> & { key: string | null })[];
  if (q.group_by === "day") {
    // Dates are stored as ISO text on SQLite and as timestamps on PostgreSQL.
    const day = env().dialect === "sqlite" ? `substr("createdAt", 1, 10)` : `to_char("createdAt", 'YYYY-MM-DD')`;
    const range = where.createdAt as { gte: Date; lt: Date };
    const params: unknown[] = [scope.orgId, env().dialect === "sqlite" ? range.gte.toISOString().replace("Z", "+00:00") : range.gte, env().dialect === "sqlite" ? range.lt.toISOString().replace("Z", "+00:00") : range.lt];
    let projectFilter = "";
    if (q.project_id) {
      params.push(q.project_id);
      projectFilter = ` AND "projectId" = ?`;
    }
    let n = 0;
    const placeholders = (sql: string) => (env().dialect === "sqlite" ? sql : sql.replace(/\?/g, () => `$${++n}`));
    rows = await db().$queryRawUnsafe(
      placeholders(`SELECT ${day} AS "key", COUNT(*) AS "requests", SUM(CASE WHEN "status" = 'error' THEN 1 ELSE 0 END) AS "errors",
              SUM("promptTokens") AS "prompt", SUM("completionTokens") AS "completion", SUM("costMicros") AS "cost", SUM("creditsMicros") AS "credits"
       FROM "audit_logs" WHERE "orgId" = ? AND "createdAt" >= ? AND "createdAt" < ?${projectFilter}
       GROUP BY 1 ORDER BY 1`),
      ...params,
    );
  } else {
    const by = q.group_by === "model" ? "model" : "projectId";
    const groups = await db().auditLog.groupBy({
      by: [by],
      where,
      _count: { _all: true },
      _sum: { promptTokens: true, completionTokens: true, costMicros: true, creditsMicros: true },
    });
    const errors = await db().auditLog.groupBy({ by: [by], where: { ...where, status: "error" }, _count: { _all: true } });
    const errorsBy = new Map(errors.map((e) => [e[by], e._count._all]));
    rows = groups.map((g) => ({
      key: g[by],
      requests: g._count._all,
      errors: errorsBy.get(g[by]) ?? 0,
      prompt: g._sum.promptTokens,
      completion: g._sum.completionTokens,
      cost: g._sum.costMicros,
      credits: g._sum.creditsMicros,
    }));
    rows.sort((a, b) => num(b.cost) - num(a.cost) || String(a.key).localeCompare(String(b.key)));
  }
  const data: Bucket[] = rows.map((r) => ({
    key: r.key,
    requests: num(r.requests),
    errors: num(r.errors),
    prompt_tokens: num(r.prompt),
    completion_tokens: num(r.completion),
    total_tokens: num(r.prompt) + num(r.completion),
    cost_usd: microsToUnits(num(r.cost)),
    credits: microsToUnits(num(r.credits)),
  }));
  const totals = data.reduce(
    (t, b) => ({
      requests: t.requests + b.requests,
      errors: t.errors + b.errors,
      prompt_tokens: t.prompt_tokens + b.prompt_tokens,
      completion_tokens: t.completion_tokens + b.completion_tokens,
      total_tokens: t.total_tokens + b.total_tokens,
      cost_usd: roundToMicro(t.cost_usd + b.cost_usd),
      credits: roundToMicro(t.credits + b.credits),
    }),
    { requests: 0, errors: 0, prompt_tokens: 0, completion_tokens: 0, total_tokens: 0, cost_usd: 0, credits: 0 },
  );
  return { object: "usage", group_by: q.group_by, from, to, data, totals };
}
