-- AlterTable
ALTER TABLE "documents" ADD COLUMN     "filename" TEXT,
ADD COLUMN     "source" BYTEA;
