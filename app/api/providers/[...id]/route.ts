export { getProviderHandler as GET, updateProviderHandler as PATCH } from "@/lib/api/handlers/providers";
