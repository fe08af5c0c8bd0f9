export { clearProjectCacheHandler as DELETE } from "@/lib/api/handlers/projects";
