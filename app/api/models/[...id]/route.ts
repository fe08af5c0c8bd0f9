export { getModelHandler as GET, updateModelHandler as PATCH } from "@/lib/api/handlers/models";
