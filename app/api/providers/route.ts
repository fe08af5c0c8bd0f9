export { listProvidersHandler as GET, createProviderHandler as POST } from "@/lib/api/handlers/providers";
