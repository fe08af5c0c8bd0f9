export { handleListModels as GET } from "@/lib/gateway/models";
