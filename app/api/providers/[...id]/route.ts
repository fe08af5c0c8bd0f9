export { getProviderHandler as GET, updateProviderHandler as PATCH, testProviderHandler as POST } from "@/lib/api/handlers/providers";
