import { notFoundHandler } from "@/lib/api/handlers/not-found";

export { notFoundHandler as GET, notFoundHandler as POST, notFoundHandler as PUT, notFoundHandler as PATCH, notFoundHandler as DELETE };
