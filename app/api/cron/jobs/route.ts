// Vercel's cron (vercel.json) calls this; see lib/api/handlers/cron.ts.
export { cronJobsHandler as GET } from "@/lib/api/handlers/cron";
export const dynamic = "force-dynamic";
// The jobs budget (VECSTRUCT_JOBS_BUDGET_MS, default 30 s) plus the longest job must fit in it.
export const maxDuration = 60;
