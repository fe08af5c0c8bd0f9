export { searchHandler as POST } from "@/lib/api/handlers/documents";
