-- AlterTable
ALTER TABLE "documents" ADD COLUMN     "embeddingModel" TEXT;

-- Documents embedded before this column existed used the offline default model.
UPDATE "documents" SET "embeddingModel" = 'vecstruct/local-embeddings-en' WHERE "status" = 'ready';
