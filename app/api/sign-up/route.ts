export { signUpHandler as POST } from "@/lib/api/handlers/sign-up";
