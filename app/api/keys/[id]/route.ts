export { getKeyHandler as GET, revokeKeyHandler as DELETE } from "@/lib/api/handlers/keys";
