-- AlterTable
ALTER TABLE "audit_logs" ADD COLUMN     "cache" TEXT,
ADD COLUMN     "cacheSourceAuditId" TEXT;

-- CreateTable
CREATE TABLE "response_cache" (
    "id" TEXT NOT NULL,
    "orgId" TEXT NOT NULL,
    "projectId" TEXT NOT NULL,
    "endpoint" TEXT NOT NULL,
    "key" TEXT NOT NULL,
    "semanticKey" TEXT,
    "embedding" BYTEA,
    "embeddingModel" TEXT,
    "response" TEXT NOT NULL,
    "sourceAuditId" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "expiresAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "response_cache_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "response_cache_projectId_key_idx" ON "response_cache"("projectId", "key");

-- CreateIndex
CREATE INDEX "response_cache_projectId_semanticKey_idx" ON "response_cache"("projectId", "semanticKey");

-- CreateIndex
CREATE INDEX "response_cache_expiresAt_idx" ON "response_cache"("expiresAt");

-- AddForeignKey
ALTER TABLE "response_cache" ADD CONSTRAINT "response_cache_projectId_fkey" FOREIGN KEY ("projectId") REFERENCES "projects"("id") ON DELETE CASCADE ON UPDATE CASCADE;
