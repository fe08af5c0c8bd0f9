export { topUpHandler as POST } from "@/lib/api/handlers/billing";
