export { listMemoriesHandler as GET, createMemoryHandler as POST, forgetUserHandler as DELETE } from "@/lib/api/handlers/memories";
