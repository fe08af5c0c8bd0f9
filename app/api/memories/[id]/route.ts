export { getMemoryHandler as GET, updateMemoryHandler as PATCH, deleteMemoryHandler as DELETE } from "@/lib/api/handlers/memories";
