export { handleListInputItems as GET } from "@/lib/gateway/responses/retrieve";
