export { handleChatCompletions as POST } from "@/lib/gateway/chat";
