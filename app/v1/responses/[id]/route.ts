export { handleGetResponse as GET, handleDeleteResponse as DELETE } from "@/lib/gateway/responses/retrieve";
