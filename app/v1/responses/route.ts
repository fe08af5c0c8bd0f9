export { handleResponses as POST } from "@/lib/gateway/responses/handler";
