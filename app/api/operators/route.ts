export { listOperatorsHandler as GET, grantOperatorHandler as POST } from "@/lib/api/handlers/operators";
