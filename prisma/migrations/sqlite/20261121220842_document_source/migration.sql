-- AlterTable
ALTER TABLE "documents" ADD COLUMN "filename" TEXT;
ALTER TABLE "documents" ADD COLUMN "source" BLOB;
