-- AlterTable
ALTER TABLE "models" ADD COLUMN "cacheWriteMicrosPerMtok" BIGINT;
