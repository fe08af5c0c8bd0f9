export { getBillingHandler as GET } from "@/lib/api/handlers/billing";
