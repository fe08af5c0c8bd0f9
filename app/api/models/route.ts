export { listModelsHandler as GET, createModelHandler as POST } from "@/lib/api/handlers/models";
