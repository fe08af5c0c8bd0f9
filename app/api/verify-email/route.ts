export { confirmVerificationHandler as POST } from "@/lib/api/handlers/verify-email";
