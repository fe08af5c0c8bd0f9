export { handleMessages as POST } from "@/lib/gateway/messages/handler";
