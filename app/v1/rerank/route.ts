export { handleRerank as POST } from "@/lib/gateway/rerank";
