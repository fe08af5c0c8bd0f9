export { listKeysHandler as GET, createKeyHandler as POST } from "@/lib/api/handlers/keys";
