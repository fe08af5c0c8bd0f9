export { getGuardrailsHandler as GET, putGuardrailsHandler as PUT } from "@/lib/api/handlers/projects";
