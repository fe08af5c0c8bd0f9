export { meHandler as GET } from "@/lib/api/handlers/me";
