export { handleEmbeddings as POST } from "@/lib/gateway/embeddings";
