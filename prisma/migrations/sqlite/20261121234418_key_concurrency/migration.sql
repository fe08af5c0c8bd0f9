-- AlterTable
ALTER TABLE "api_keys" ADD COLUMN "maxConcurrent" INTEGER;
