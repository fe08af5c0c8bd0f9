export { listOrgsHandler as GET, createOrgHandler as POST } from "@/lib/api/handlers/orgs";
