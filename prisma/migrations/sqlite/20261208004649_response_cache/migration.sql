-- AlterTable
ALTER TABLE "audit_logs" ADD COLUMN "cache" TEXT;
ALTER TABLE "audit_logs" ADD COLUMN "cacheSourceAuditId" TEXT;

-- CreateTable
CREATE TABLE "response_cache" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "orgId" TEXT NOT NULL,
    "projectId" TEXT NOT NULL,
    "endpoint" TEXT NOT NULL,
    "key" TEXT NOT NULL,
    "semanticKey" TEXT,
    "embedding" BLOB,
    "embeddingModel" TEXT,
    "response" TEXT NOT NULL,
    "sourceAuditId" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "expiresAt" DATETIME NOT NULL,
    CONSTRAINT "response_cache_projectId_fkey" FOREIGN KEY ("projectId") REFERENCES "projects" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateIndex
CREATE INDEX "response_cache_projectId_key_idx" ON "response_cache"("projectId", "key");

-- CreateIndex
CREATE INDEX "response_cache_projectId_semanticKey_idx" ON "response_cache"("projectId", "semanticKey");

-- CreateIndex
CREATE INDEX "response_cache_expiresAt_idx" ON "response_cache"("expiresAt");
