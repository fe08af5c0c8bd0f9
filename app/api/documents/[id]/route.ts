export { getDocumentHandler as GET, deleteDocumentHandler as DELETE } from "@/lib/api/handlers/documents";
