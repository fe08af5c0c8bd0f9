export { usageHandler as GET } from "@/lib/api/handlers/usage";
