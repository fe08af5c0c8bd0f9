import { notFoundHandler } from "@/lib/api/handlers/not-found";

export { notFoundHandler as GET, notFoundHandler as POST, notFoundHandler as PATCH, notFoundHandler as PUT, notFoundHandler as DELETE };
