export { cacheStatsHandler as GET, clearProjectCacheHandler as DELETE } from "@/lib/api/handlers/projects";
