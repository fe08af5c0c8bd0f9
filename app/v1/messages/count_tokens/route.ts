export { handleCountTokens as POST } from "@/lib/gateway/messages/count-tokens";
