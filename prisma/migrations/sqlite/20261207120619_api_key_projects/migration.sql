-- AlterTable
ALTER TABLE "api_keys" ADD COLUMN "projects" JSONB;
