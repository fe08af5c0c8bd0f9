export { testGuardrailsHandler as POST } from "@/lib/api/handlers/projects";
