export { revokeOperatorHandler as DELETE } from "@/lib/api/handlers/operators";
