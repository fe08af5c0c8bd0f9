export { sendVerificationHandler as POST } from "@/lib/api/handlers/verify-email";
