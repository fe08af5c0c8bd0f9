export { listProjectsHandler as GET, createProjectHandler as POST } from "@/lib/api/handlers/projects";
