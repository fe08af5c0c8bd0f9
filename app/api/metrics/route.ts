export { metricsHandler as GET } from "@/lib/api/handlers/metrics";
export const dynamic = "force-dynamic";
