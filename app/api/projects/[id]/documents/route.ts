export { listDocumentsHandler as GET, createDocumentHandler as POST } from "@/lib/api/handlers/documents";
