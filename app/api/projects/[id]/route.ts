export {
  getProjectHandler as GET,
  updateProjectHandler as PATCH,
  deleteProjectHandler as DELETE,
} from "@/lib/api/handlers/projects";
