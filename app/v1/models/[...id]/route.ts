export { handleGetModel as GET } from "@/lib/gateway/models";
